package trailhound.web.endpoints;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import trailhound.web.WebContext;

/**
 * {@code /endpoints} (the table, with a type-ahead filter that htmx re-requests as
 * {@code /endpoints/rows?filter=} while the user types) and {@code GET /api/v1/endpoints?filter=}.
 */
public final class EndpointPages {
    private final WebContext ctx;
    private final EndpointDirectory directory;

    private EndpointPages(WebContext ctx) {
        this.ctx = ctx;
        this.directory = new EndpointDirectory(ctx.data());
    }

    public static void register(RoutesConfig routes, WebContext ctx) {
        EndpointPages pages = new EndpointPages(ctx);
        routes.get("/endpoints", pages::page);
        routes.get("/endpoints/rows", pages::rows);
        routes.get("/api/v1/endpoints", pages::api);
    }

    private void page(Context http) throws Exception {
        String filter = http.queryParam("filter");
        ctx.render(http, "endpoints/list.jte",
                new EndpointsPage(ctx.chrome(http, "Endpoints"), filter == null ? "" : filter, directory.list(filter)));
    }

    private void rows(Context http) throws Exception {
        String filter = http.queryParam("filter");
        ctx.render(http, "endpoints/rows.jte",
                new EndpointsPage(ctx.chrome(http, "Endpoints"), filter == null ? "" : filter, directory.list(filter)));
    }

    private void api(Context http) throws Exception {
        http.json(Map.of("endpoints", directory.list(http.queryParam("filter"))));
    }
}
