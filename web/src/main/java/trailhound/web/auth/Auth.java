package trailhound.web.auth;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import io.javalin.http.UnauthorizedResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import trailhound.access.Access;
import trailhound.access.Accounts;
import trailhound.access.Action;
import trailhound.access.AuditLog;
import trailhound.access.Caller;
import trailhound.access.Sessions;
import trailhound.access.Tokens;
import trailhound.web.PageChrome;
import trailhound.web.Routes;
import trailhound.web.WebContext;
import trailhound.web.handoff.HandOff;

/*
 * Sign-in, sign-out and the gate in front of every other route.
 *
 * Sessions are server-side (access's Sessions, in server.db, so a restart signs nobody out: a 256-bit
 * random id of which only the SHA-256 is stored; 12 h idle, 24 h at most, 20 per user), the id in
 * an HttpOnly, SameSite=Strict cookie, so scripts cannot read it and other sites cannot send it; a
 * new id at every sign-in (no fixation). The session holds only the user name: role, groups and
 * "disabled" are read again on every request, so a change takes effect at once. Every
 * state-changing request (POST/PUT/PATCH/DELETE) must carry the session's CSRF token as form field
 * _csrf or header X-CSRF-Token (htmx sends it from the body's hx-headers); the sign-in form itself
 * carries a double-submit token (a pre-session cookie equal to a hidden field, both non-empty).
 * Scripts send "Authorization: Bearer th_..." (an API token, no cookie, no CSRF token needed).
 * A user who must change the password reaches only the password page and sign-out until done; the
 * API answers 403 "password change required".
 */
public final class Auth {
    public static final String CSRF_FIELD = "_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String PASSWORD_PAGE = "/account/password";
    static final String SESSION_COOKIE = "th_session";
    static final String LOGIN_COOKIE = "th_login";
    /** Sessions one user may hold at once; a new sign-in ends the oldest beyond it. */
    static final int SESSIONS_PER_USER = Sessions.PER_USER;
    private static final Pattern SAFE_NEXT = Pattern.compile("/(?![/\\\\])[\\x21-\\x7e&&[^\\\\]]*");

    private final Access access;
    private final WebContext ctx;
    private final SecureRandom random = new SecureRandom();

    private Auth(WebContext ctx) {
        this.access = ctx.access();
        this.ctx = ctx;
    }

    /** Adds the gate (a before-handler) and the /login and /logout routes. */
    public static void register(io.javalin.config.RoutesConfig config, Routes routes, WebContext ctx) {
        Auth auth = new Auth(ctx);
        config.before(auth::gate);
        routes.get("/login", Action.PUBLIC, auth::loginPage);
        routes.post("/login", Action.PUBLIC, auth::login);
        routes.post("/logout", Action.OWN_ACCOUNT, auth::logout);
    }

    private void gate(Context http) {
        String path = http.path();
        if (http.method() == HandlerType.HEAD && !isStaticFile(path)) {
            // Javalin answers HEAD for every GET route without running it, so without its role and
            // endpoint checks: a 200 would tell who may not know that a page or endpoint exists.
            http.header("Allow", "GET");
            throw new HttpResponseException(405, "HEAD is not served here; use GET");
        }
        if (isPublic(path)) {
            return;
        }
        String authorization = http.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            switch (access.tokens().authenticate(authorization.substring(7), http.ip())) {
                case Tokens.Use.Ok ok -> http.attribute(Session.ATTRIBUTE, new Session(access.scope(ok.caller()), null, null));
                case Tokens.Use.Refused refused ->
                        throw new UnauthorizedResponse("the API token is not valid (unknown, revoked or expired)");
                case Tokens.Use.PasswordChangeRequired change ->
                        throw new ForbiddenResponse("password change required: sign in to the web and change it first");
                case Tokens.Use.Throttled throttled -> {
                    http.header("Retry-After", String.valueOf(throttled.seconds()));
                    throw new HttpResponseException(429, "too many invalid API tokens from this address; try again in "
                            + throttled.seconds() + " s");
                }
            }
            return;
        }
        String id = http.cookie(SESSION_COOKIE);
        Sessions.Session session = id == null ? null : access.sessions().find(id).orElse(null);
        Optional<Caller> caller = session == null ? Optional.empty()
                : access.accounts().caller(session.user(), session.credentialStamp(), "web", http.ip());
        if (caller.isEmpty()) {
            if (session != null) access.sessions().end(id); // disabled, removed or a new password meanwhile
            if (path.startsWith("/api/")) {
                throw new UnauthorizedResponse("sign in first (POST /login) or send an API token (Authorization: Bearer ...)");
            }
            String next = http.queryString() == null ? path : path + "?" + http.queryString();
            sendTo(http, "/login?next=" + trailhound.web.Format.url(htmx(http) ? pageOf(http, next) : next));
            return;
        }
        if (changesState(http.method()) && !sameToken(session.csrfToken(), csrfOf(http))) {
            throw new ForbiddenResponse("missing or wrong CSRF token: reload the page and try again");
        }
        http.attribute(Session.ATTRIBUTE, new Session(access.scope(caller.get()), session.csrfToken(), () -> renew(http, id, session)));
        if (!path.equals(PASSWORD_PAGE) && !path.equals("/logout") && access.accounts().mustChangePassword(session.user())) {
            if (path.startsWith("/api/")) throw new ForbiddenResponse("password change required");
            sendTo(http, PASSWORD_PAGE);
        }
    }

    /**
     * Sends the browser to {@code location}. A plain request gets a redirect; an htmx request (a tree
     * branch, a tab, a lazy badge) would follow that redirect itself and put the whole page it finds
     * inside the fragment's place, so it gets 401 with HX-Redirect instead, which makes htmx move the
     * whole window there.
     */
    private static void sendTo(Context http, String location) {
        if (htmx(http)) {
            http.status(HttpStatus.UNAUTHORIZED);
            http.header("HX-Redirect", location);
            http.result("");
        } else {
            http.redirect(location);
        }
        http.skipRemainingHandlers();
    }

    private static boolean htmx(Context http) {
        return "true".equals(http.header("HX-Request"));
    }

    /**
     * The page an htmx request was made from (HX-Current-URL's path and query, when it is this site's),
     * so sign-in comes back to that page rather than to the bare fragment; else {@code fallback}.
     */
    private static String pageOf(Context http, String fallback) {
        String current = http.header("HX-Current-URL");
        if (current == null) return fallback;
        try {
            java.net.URI uri = java.net.URI.create(current);
            String host = http.host() == null ? "" : http.host().replaceFirst(":\\d+$", "");
            if (uri.getHost() == null || !uri.getHost().equalsIgnoreCase(host) || uri.getRawPath() == null
                    || uri.getRawPath().isEmpty()) {
                return fallback;
            }
            String page = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            return SAFE_NEXT.matcher(page).matches() ? page : fallback;
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    /** No session needed. The CLI hand-off API is no browser's: each of its routes checks its own bearer token (CliApi). */
    private static boolean isPublic(String path) {
        return path.equals("/login") || isStaticFile(path) || path.startsWith(HandOff.PREFIX);
    }

    private static boolean isStaticFile(String path) {
        return path.startsWith("/webjars/") || path.startsWith("/css/") || path.startsWith("/js/") || path.equals("/favicon.ico");
    }

    private static boolean changesState(HandlerType method) {
        return method == HandlerType.POST || method == HandlerType.PUT
                || method == HandlerType.PATCH || method == HandlerType.DELETE;
    }

    private static String csrfOf(Context http) {
        String header = http.header(CSRF_HEADER);
        return header != null ? header : http.formParam(CSRF_FIELD);
    }

    private static boolean sameToken(String expected, String actual) {
        return expected != null && !expected.isEmpty() && actual != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }

    private void loginPage(Context http) {
        renderLogin(http, null, HttpStatus.OK);
    }

    private void renderLogin(Context http, String error, HttpStatus status) {
        String token = token();
        http.cookie(cookie(LOGIN_COOKIE, token, -1));
        http.status(status);
        String next = safeNext(http.formParam("next") != null && http.method() == HandlerType.POST ? http.formParam("next")
                : http.queryParam("next"));
        ctx.render(http, "auth/login.jte", new LoginPage(new PageChrome("Sign in", null, null, null, null), token, next, error));
    }

    private void login(Context http) {
        if (!sameToken(http.cookie(LOGIN_COOKIE), http.formParam(CSRF_FIELD))) {
            renderLogin(http, "The sign-in form expired; please try again.", HttpStatus.FORBIDDEN);
            return;
        }
        Accounts.SignIn result = access.accounts().signIn(http.formParam("username"), http.formParam("password"), http.ip(), "web");
        switch (result) {
            case Accounts.SignIn.Throttled t -> {
                http.header("Retry-After", String.valueOf(t.seconds()));
                renderLogin(http, "Too many failed sign-ins; try again in " + t.seconds() + " s.", HttpStatus.TOO_MANY_REQUESTS);
            }
            case Accounts.SignIn.Refused r -> renderLogin(http, "Wrong user name or password.", HttpStatus.UNAUTHORIZED);
            case Accounts.SignIn.Ok ok -> {
                String id = access.sessions().open(ok.caller().user(), token(), ok.credentialStamp());
                http.cookie(cookie(SESSION_COOKIE, id, -1));
                http.cookie(cookie(LOGIN_COOKIE, "", 0));
                String next = safeNext(http.formParam("next"));
                http.redirect(ok.mustChangePassword() ? PASSWORD_PAGE : next == null ? "/endpoints" : next, HttpStatus.SEE_OTHER);
            }
        }
    }

    /**
     * After the user changed their own password in this session: this session goes on under a new id
     * with the new stamp (the user's other sessions, with the old stamp, end).
     */
    private void renew(Context http, String id, Sessions.Session session) {
        access.accounts().credentialStamp(session.user()).ifPresentOrElse(stamp -> {
            String renewed = access.sessions().renew(id, session, stamp);
            http.cookie(cookie(SESSION_COOKIE, renewed, -1));
        }, () -> access.sessions().end(id));
    }

    private void logout(Context http) {
        String id = http.cookie(SESSION_COOKIE);
        access.sessions().end(id);
        ctx.scope(http).audit("sign-out", null, AuditLog.OK, null);
        http.cookie(cookie(SESSION_COOKIE, "", 0));
        http.redirect("/login", HttpStatus.SEE_OTHER);
    }

    /**
     * Only a same-site path: "/" then printable ASCII without backslashes, and not "//" or "/\" (which
     * browsers read as another host). Tabs and newlines are refused outright: browsers drop them, so
     * "/\t/host" would become "//host".
     */
    static String safeNext(String next) {
        return next != null && next.length() <= 2048 && SAFE_NEXT.matcher(next).matches() ? next : null;
    }

    private Cookie cookie(String name, String value, int maxAge) {
        return new Cookie(name, value, "/", maxAge, ctx.https(), true, null, SameSite.STRICT);
    }

    private String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
