package trailhound.web.auth;

import io.javalin.http.Context;
import trailhound.access.Scope;

/**
 * The caller of one request: the data folder as they may see it and the CSRF token their forms must
 * carry (null for bearer-token requests, which no browser sends by itself).
 */
public record Session(Scope scope, String csrfToken) {
    static final String ATTRIBUTE = "trailhound.session";

    /** The caller of this request, or null when it is not signed in (only on public routes). */
    public static Session of(Context http) {
        return http.attribute(ATTRIBUTE);
    }
}
