package trailhound.web.reputation;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import trailhound.access.Action;
import trailhound.web.Routes;
import trailhound.web.WebContext;

/**
 * The Reputation Report Details page {@code /reputation/{hash}}, its JSON twin
 * {@code /api/v1/reputation/{hash}} and the badge fragment {@code /reputation/{hash}/badge} that
 * htmx polls while a lookup is pending.
 */
public final class ReputationPages {
    private ReputationPages() {}

    public static void register(Routes routes, WebContext ctx) {
        routes.get("/reputation/{hash}", Action.VIEW, http -> ctx.render(http, "reputation/report.jte",
                new ReputationPage(ctx.chrome(http, "Reputation report"), report(http, ctx))));
        routes.get("/reputation/{hash}/badge", Action.VIEW, http -> ctx.render(http, "reputation/badge.jte", report(http, ctx)));
        routes.get("/api/v1/reputation/{hash}", Action.VIEW, http -> http.json(report(http, ctx)));
    }

    private static ReputationReport report(Context http, WebContext ctx) {
        String hash = http.pathParam("hash");
        if (!Hashes.isHash(hash.strip())) {
            throw new BadRequestResponse("'" + hash + "' is not a hash: expected 32 (MD5), 40 (SHA-1) or 64 (SHA-256) hex digits");
        }
        return ctx.reputation().report(hash);
    }
}
