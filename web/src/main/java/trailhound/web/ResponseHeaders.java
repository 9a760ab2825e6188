package trailhound.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Locale;

/*
 * Headers every answer gets besides the security ones of WebServer.securityHeaders.
 *  - Cache-Control: no-store on everything but the static files (/webjars, /css, /js): pages and the
 *    API hold telemetry, which must not stay in a shared or browser cache after sign-out.
 *  - charset=utf-8 on every text answer (HTML, JSON, CSV, plain text): Javalin names the type without
 *    a charset, and a browser guessing the charset of attacker-supplied text is an XSS vector.
 */
final class ResponseHeaders {
    /**
     * Only the server's own files run or style the page. htmx is told not to add its inline indicator
     * style (layout/page.jte); d3 sets styles through the CSSOM, which style-src does not restrict.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private ResponseHeaders() {}

    static void register(RoutesConfig routes) {
        routes.before(ResponseHeaders::noStore);
        routes.after(ResponseHeaders::charset);
    }

    private static void noStore(Context http) {
        String path = http.path();
        if (!(path.startsWith("/webjars/") || path.startsWith("/css/") || path.startsWith("/js/"))) {
            http.header("Cache-Control", "no-store");
        }
    }

    private static void charset(Context http) {
        String type = http.res().getContentType();
        if (type == null || type.toLowerCase(Locale.ROOT).contains("charset=")) {
            return;
        }
        String base = type.toLowerCase(Locale.ROOT);
        if (base.startsWith("text/") || base.startsWith("application/json") || base.endsWith("+json") || base.endsWith("+xml")
                || base.startsWith("application/javascript")) {
            http.contentType(type + "; charset=utf-8");
        }
    }
}
