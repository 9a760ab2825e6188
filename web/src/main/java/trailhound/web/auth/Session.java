package trailhound.web.auth;

import io.javalin.http.Context;
import trailhound.access.Scope;

/**
 * The caller of one request: the data folder as they may see it and the CSRF token their forms must
 * carry (null for bearer-token requests, which no browser sends by itself).
 */
public final class Session {
    static final String ATTRIBUTE = "trailhound.session";

    private final Scope scope;
    private final String csrfToken;
    private final Runnable keepAfterPasswordChange;

    Session(Scope scope, String csrfToken, Runnable keepAfterPasswordChange) {
        this.scope = scope;
        this.csrfToken = csrfToken;
        this.keepAfterPasswordChange = keepAfterPasswordChange;
    }

    /** The caller of this request, or null when it is not signed in (only on public routes). */
    public static Session of(Context http) {
        return http.attribute(ATTRIBUTE);
    }

    public Scope scope() {
        return scope;
    }

    public String csrfToken() {
        return csrfToken;
    }

    /**
     * Call after the caller changed their own password: a password change ends every session of the
     * user, and this one goes on under a new id. Nothing for bearer-token requests.
     */
    public void keepAfterPasswordChange() {
        if (keepAfterPasswordChange != null) keepAfterPasswordChange.run();
    }
}
