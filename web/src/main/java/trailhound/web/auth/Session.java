package trailhound.web.auth;

import io.javalin.http.Context;

/** A signed-in browser or API client: its user, role and the CSRF token its forms must carry. */
public record Session(String id, String user, Role role, String csrfToken) {
    static final String ATTRIBUTE = "trailhound.session";

    /** The session of this request, or null when it is not signed in (only on public routes). */
    public static Session of(Context http) {
        return http.attribute(ATTRIBUTE);
    }
}
