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
 *
 * Two readers, two wordings. The JSON API's reader is a program's author: its messages stay precise
 * and name routes ("GET /api/v1/endpoints lists ..."). A page's reader is an analyst in a browser: the
 * page says what happened and offers what to do there, as links (ErrorPage.Action: back to the
 * endpoint, to the previous page, to the endpoint list, sign in again), and never shows a route
 * ("GET /endpoints/{endpoint}", which Javalin's own 404/405 messages hold) or command-line advice.
 * ErrorPagesTest walks the common errors and checks that rule.
 */
final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {}

    static void register(RoutesConfig routes, WebContext ctx) {
        routes.exception(BadRequest.class, (e, http) ->
                respond(ctx, http, 400, "Bad request", api(http) ? e.getMessage() : e.forPages(), e.column(), null));
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
                respond(ctx, http, 403, "Forbidden", api(http) ? e.getMessage() : capitalised(e.getMessage())
                        + (e.byRole() ? ". An administrator can change your role if you need this." : "."), null, null));
        routes.exception(AccessException.class, (e, http) -> respond(ctx, http, e.isUnknown() ? 404 : e.isConflict() ? 409 : 400,
                e.isUnknown() ? "Not found" : e.isConflict() ? "Conflict" : "Bad request", e.getMessage(), null, null));
        routes.exception(TooManyAttemptsException.class, (e, http) -> {
            http.header("Retry-After", String.valueOf(e.seconds()));
            respond(ctx, http, 429, "Too many attempts", e.getMessage(), null, null);
        });
        routes.exception(trailhound.access.TooManyExportsException.class, (e, http) ->
                respond(ctx, http, 429, "Too many exports", api(http) ? e.getMessage() : capitalised(e.getMessage()) + ".", null, null));
        routes.exception(IndexFormatException.class, (e, http) ->
                respond(ctx, http, 409, "Needs re-index", "This endpoint's index was written by an older Trailhound (format "
                        + e.found() + "); its events come back once an administrator re-indexes it: " + (api(http)
                        ? "POST /api/v1/jobs/reindex with {\"endpoints\": [NAME]} or {\"all\": true}."
                        : "Re-index on the Jobs page (administrators), or ask an administrator to."), null, null));
        // a feature the index backend in use does not have yet (docs/decisions.md, OpenSearch backend)
        routes.exception(UnsupportedOperationException.class, (e, http) ->
                respond(ctx, http, 501, "Not available", e.getMessage(), null, null));
        routes.exception(HttpResponseException.class, (e, http) ->
                respond(ctx, http, e.getStatus(), title(e.getStatus()), isJavalinTooLarge(e) ? tooLarge(http)
                        : api(http) ? forPrograms(http, e) : forPeople(http, e), null, null));
        routes.exception(Exception.class, (e, http) -> {
            String reference = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("request {} {} failed, reference {}", http.method(), http.path(), reference, e);
            respond(ctx, http, 500, "Server error",
                    "Something went wrong on the server. Quote reference " + reference + " when you report it.", null, reference);
        });
        routes.error(404, http -> {
            if (http.result() == null || http.result().isEmpty()) {
                respond(ctx, http, 404, "Not found", api(http) ? noRoute(http) : NO_PAGE, null, null);
            }
        });
    }

    /** Javalin's own 413 (a body past the server's limit), not one of ours that already says its limit. */
    private static boolean isJavalinTooLarge(HttpResponseException e) {
        return e.getStatus() == 413 && "Content Too Large".equals(e.getMessage());
    }

    /** Javalin's 413 says only "Content Too Large": say the limit and what to send instead. */
    private static String tooLarge(Context http) {
        String limit = "the request is larger than the server takes (" + WebServer.MAX_REQUEST_BYTES / 1_000_000 + " MB at most)";
        String path = http.path();
        if (path.contains("/intel/import") || path.contains("/iocs/import")) return trailhound.web.intel.IntelPages.TOO_LARGE; // one limit, one wording
        if (path.contains("/import")) return limit + ": split the document into several and import each";
        if (path.contains("export")) return limit + ": select fewer events (an export of the whole search needs no selection)";
        return limit + ": send less at once, in several requests";
    }

    private static final String NO_PAGE = "There is no page at this address. Check the link, or start again from the endpoint list.";

    /**
     * A page's wording of an HTTP outcome: Javalin's own 404 and 405 messages name the method and
     * route ("Endpoint GET /x not found"), which means nothing to an analyst; the handlers' messages
     * already speak to people.
     */
    private static String forPeople(Context http, HttpResponseException e) {
        return switch (e.getStatus()) {
            case 404 -> e.getMessage() == null || e.getMessage().startsWith("Endpoint ") || e.getMessage().equals("Not Found")
                    ? NO_PAGE : e.getMessage();
            case 405 -> "This address cannot be used that way: open it as a link, or use the buttons and forms on the pages.";
            case 401 -> "You are not signed in, or your session ended: sign in again.";
            default -> e.getMessage();
        };
    }

    /**
     * The API's wording of an HTTP outcome: Javalin's own 404 for a route that does not exist
     * ("Endpoint GET /api/v1/nope not found") becomes ours, saying where the routes are listed.
     */
    private static String forPrograms(Context http, HttpResponseException e) {
        if (e.getStatus() == 404 && (e.getMessage() == null || e.getMessage().startsWith("Endpoint ") || e.getMessage().equals("Not Found"))) {
            return noRoute(http);
        }
        return e.getMessage();
    }

    private static String noRoute(Context http) {
        return "no such API route: " + http.method() + " " + http.path() + "; see README's JSON API section for the routes";
    }

    private static String capitalised(String s) {
        return s == null || s.isEmpty() ? "" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /**
     * What the analyst can do next, as links: sign in again (401), back to the endpoint the page
     * belongs to (when the caller sees it), back to the previous page (same site only), the endpoint
     * list, and for a failed GET the same page again (500).
     */
    private static java.util.List<ErrorPage.Action> actions(WebContext ctx, Context http, int status) {
        java.util.List<ErrorPage.Action> out = new java.util.ArrayList<>();
        boolean get = http.method().name().equals("GET");
        String here = http.path() + (http.queryString() == null ? "" : "?" + http.queryString());
        if (status == 401 || trailhound.web.auth.Session.of(http) == null) {
            out.add(new ErrorPage.Action("Sign in again", "/login" + (get ? "?next=" + Format.url(here) : "")));
            return out;
        }
        if (status == 500 && get) out.add(new ErrorPage.Action("Try again", here));
        String endpoint = endpointOf(http.path());
        if (endpoint != null && !http.path().equals("/endpoints/" + Format.segment(endpoint) + "/events")) {
            try {
                if (ctx.scope(http).sees(endpoint)) {
                    out.add(new ErrorPage.Action(endpoint + "'s events", "/endpoints/" + Format.segment(endpoint) + "/events"));
                }
            } catch (RuntimeException e) {
                // the data folder itself failed (a 500 being reported): no endpoint link
            }
        }
        String back = sameSiteReferer(http);
        if (back != null && !back.equals(here)) out.add(new ErrorPage.Action("Back to the previous page", back));
        out.add(new ErrorPage.Action("The endpoint list", "/endpoints"));
        return out;
    }

    /** The endpoint of an {@code /endpoints/<name>/...} path, decoded; null for any other path. */
    private static String endpointOf(String path) {
        String prefix = "/endpoints/";
        if (!path.startsWith(prefix)) return null;
        int end = path.indexOf('/', prefix.length());
        if (end < 0) return null; // the list's own paths (/endpoints/rows) or an endpoint without a page
        try {
            return Format.unsegment(path.substring(prefix.length(), end));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The Referer's path and query when it is this site's own page (never a link off the site), else null. */
    private static String sameSiteReferer(Context http) {
        String referer = http.header("Referer");
        if (referer == null) return null;
        try {
            java.net.URI uri = java.net.URI.create(referer);
            if (uri.getHost() == null || !uri.getHost().equalsIgnoreCase(http.host() == null ? "" : http.host().replaceFirst(":\\d+$", ""))) {
                return null;
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        } catch (IllegalArgumentException e) {
            return null;
        }
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
            ctx.render(http, "layout/error.jte", new ErrorPage(ctx.chrome(http, title), status, title, forPages(message), reference,
                    actions(ctx, http, status)));
        } catch (RuntimeException renderFailure) {
            // The error page itself failed (a broken template): still no detail to the browser.
            LOG.error("error page for {} failed", http.path(), renderFailure);
            http.contentType("text/plain").result(status + " " + title);
        }
    }

    private static final java.util.regex.Pattern API_ASIDE = java.util.regex.Pattern.compile("\\s*\\((?:GET|POST|DELETE) /api/v1/[^)]*\\)");
    private static final java.util.regex.Pattern API_ROUTE = java.util.regex.Pattern.compile("(?:GET|POST|DELETE) /api/v1/([a-z]+)[^\\s;,)]*");
    private static final Map<String, String> PAGES = Map.of("evidence", "the Saved evidence page", "exports", "the Exports page",
            "snapshots", "the Snapshots page", "policies", "the Policies page", "live", "the Live endpoints page",
            "endpoints", "the Endpoints page", "iocs", "the Intel page", "alerts", "the Alerts page", "jobs", "the Jobs page");

    /**
     * A handler's message as a page's reader needs it: the API's pointers in it ("; GET /api/v1/evidence
     * lists them", "(POST /api/v1/exports/7/cancel)") become the page that does the same, or go.
     */
    static String forPages(String message) {
        if (message == null || !message.contains("/api/v1/")) return message;
        String out = API_ASIDE.matcher(message).replaceAll("");
        return API_ROUTE.matcher(out).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(PAGES.getOrDefault(m.group(1), "its page")));
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
