package trailhound.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import trailhound.access.AccessDeniedException;
import trailhound.access.AccessException;
import trailhound.access.TooManyAttemptsException;
import trailhound.index.IndexFormatException;
import trailhound.index.UnknownEndpointException;
import trailhound.query.QuerySyntaxException;

/*
 * Every failure becomes a page (or, under /api/, a JSON body {"error": ..., "column": ...}) in this
 * one place. A server error gets a short reference id that is shown to the user and logged with the
 * stack trace, so support can find the detail; no stack trace or exception text reaches the browser.
 * Bad queries are normally answered by the search pages themselves (they keep what the user typed);
 * BadRequest here is the fallback.
 */
final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {}

    static void register(RoutesConfig routes, WebContext ctx) {
        routes.exception(BadRequest.class, (e, http) ->
                respond(ctx, http, 400, "Bad request", e.getMessage(), e.column(), null));
        routes.exception(QuerySyntaxException.class, (e, http) ->
                respond(ctx, http, 400, "Bad query", e.getMessage(), e.column(), null));
        routes.exception(UnknownEndpointException.class, (e, http) -> {
            // only an endpoint the caller may see is named: the others do not exist for them
            java.util.Optional<String> now = trailhound.web.auth.Session.of(http) == null ? java.util.Optional.empty()
                    : ctx.scope(http).renamedTo(e.endpoint());
            String moved = now.map(n -> movedTo(http, n)).orElse(null);
            if (moved != null) {
                http.redirect(moved); // a page of a renamed or merged endpoint: the same page under its new name
                return;
            }
            respond(ctx, http, 404, "Unknown endpoint", now.isEmpty() ? e.getMessage() + (api(http)
                    ? ": GET /api/v1/endpoints lists the endpoints you may see" : ": the Endpoints page lists the endpoints you may see")
                    : "Endpoint '" + e.endpoint() + "' was renamed or merged into '" + now.get() + "': look for it under that name.", null, null);
        });
        routes.exception(org.apache.lucene.search.IndexSearcher.TooManyClauses.class, (e, http) ->
                respond(ctx, http, 400, "Query too broad", trailhound.query.QueryLanguage.tooBroad(), null, null));
        routes.exception(AccessDeniedException.class, (e, http) ->
                respond(ctx, http, 403, "Forbidden", e.getMessage(), null, null));
        routes.exception(AccessException.class, (e, http) -> respond(ctx, http, e.isUnknown() ? 404 : 400,
                e.isUnknown() ? "Not found" : "Bad request", e.getMessage(), null, null));
        routes.exception(TooManyAttemptsException.class, (e, http) -> {
            http.header("Retry-After", String.valueOf(e.seconds()));
            respond(ctx, http, 429, "Too many attempts", e.getMessage(), null, null);
        });
        routes.exception(IndexFormatException.class, (e, http) ->
                respond(ctx, http, 409, "Needs re-index", "This endpoint's index was written by an older Trailhound (format "
                        + e.found() + "); its events come back once an administrator re-indexes it: " + (api(http)
                        ? "POST /api/v1/jobs/reindex with {\"endpoints\": [NAME]} or {\"all\": true}."
                        : "on the Jobs page, or with bin/trailhound reindex --data DIR --endpoint NAME (or --all)."), null, null));
        routes.exception(HttpResponseException.class, (e, http) ->
                respond(ctx, http, e.getStatus(), title(e.getStatus()), e.getMessage(), null, null));
        routes.exception(Exception.class, (e, http) -> {
            String reference = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("request {} {} failed, reference {}", http.method(), http.path(), reference, e);
            respond(ctx, http, 500, "Server error",
                    "Something went wrong on the server. Quote reference " + reference + " when you report it.", null, reference);
        });
        routes.error(404, http -> {
            if (http.result() == null || http.result().isEmpty()) {
                respond(ctx, http, 404, "Not found", "There is no page at " + http.path() + ".", null, null);
            }
        });
    }

    /** The same page (path and query) under the endpoint's new name; null for the API and for anything but GET. */
    private static String movedTo(Context http, String now) {
        String path = http.path();
        String prefix = "/endpoints/";
        if (!http.method().name().equals("GET") || !path.startsWith(prefix)) return null;
        int end = path.indexOf('/', prefix.length());
        String rest = end < 0 ? "" : path.substring(end);
        String query = http.queryString();
        return prefix + Format.segment(now) + rest + (query == null ? "" : "?" + query);
    }

    /** True for the JSON API, whose reader is a program's author: advice names routes, not pages or commands. */
    private static boolean api(Context http) {
        return http.path().startsWith("/api/");
    }

    static void respond(WebContext ctx, Context http, int status, String title, String message, Integer column, String reference) {
        http.status(status);
        if (api(http)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", message);
            if (column != null) {
                body.put("column", column);
            }
            if (reference != null) {
                body.put("reference", reference);
            }
            http.json(body);
            return;
        }
        try {
            ctx.render(http, "layout/error.jte", new ErrorPage(ctx.chrome(http, title), status, title, message, reference));
        } catch (RuntimeException renderFailure) {
            // The error page itself failed (a broken template): still no detail to the browser.
            LOG.error("error page for {} failed", http.path(), renderFailure);
            http.contentType("text/plain").result(status + " " + title);
        }
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Sign in first";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            default -> "Error " + status;
        };
    }
}
