package trailhound.web.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import io.javalin.http.UnauthorizedResponse;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import trailhound.web.PageChrome;
import trailhound.web.WebContext;
import trailhound.web.handoff.HandOff;

/*
 * Sign-in, sign-out and the gate in front of every other route.
 *
 * Sessions are server-side (a Caffeine cache keyed by a 256-bit random id, idle expiry), the id in
 * an HttpOnly, SameSite=Strict cookie, so scripts cannot read it and other sites cannot send it.
 * Every state-changing request (POST/PUT/PATCH/DELETE) must carry the session's CSRF token as form
 * field _csrf or header X-CSRF-Token (htmx sends it from the body's hx-headers); SameSite already
 * stops cross-site posts in modern browsers, the token covers the rest. The login form itself is
 * protected by a double-submit token (a pre-session cookie equal to a hidden field).
 */
public final class Auth {
    public static final String CSRF_FIELD = "_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final String SESSION_COOKIE = "th_session";
    static final String LOGIN_COOKIE = "th_login";
    private static final Duration IDLE = Duration.ofHours(12);

    private final Users users;
    private final WebContext ctx;
    private final SecureRandom random = new SecureRandom();
    private final Cache<String, Session> sessions =
            Caffeine.newBuilder().expireAfterAccess(IDLE).maximumSize(10_000).build();

    private Auth(Users users, WebContext ctx) {
        this.users = users;
        this.ctx = ctx;
    }

    /** Adds the gate (a before-handler) and the /login and /logout routes. */
    public static void register(RoutesConfig routes, WebContext ctx, Users users) {
        Auth auth = new Auth(users, ctx);
        routes.before(auth::gate);
        routes.get("/login", auth::loginPage);
        routes.post("/login", auth::login);
        routes.post("/logout", auth::logout);
    }

    private void gate(Context http) {
        String path = http.path();
        if (isPublic(path)) {
            return;
        }
        String id = http.cookie(SESSION_COOKIE);
        Session session = id == null ? null : sessions.getIfPresent(id);
        if (session == null) {
            if (path.startsWith("/api/")) {
                throw new UnauthorizedResponse("sign in first (POST /login)");
            }
            String next = http.queryString() == null ? path : path + "?" + http.queryString();
            http.redirect("/login?next=" + trailhound.web.Format.url(next));
            http.skipRemainingHandlers();
            return;
        }
        if (changesState(http.method()) && !sameToken(session.csrfToken(), csrfOf(http))) {
            throw new ForbiddenResponse("missing or wrong CSRF token: reload the page and try again");
        }
        http.attribute(Session.ATTRIBUTE, session);
    }

    /** No session needed. The CLI hand-off API is no browser's: each of its routes checks its own bearer token (CliApi). */
    private static boolean isPublic(String path) {
        return path.equals("/login") || path.startsWith("/webjars/") || path.startsWith("/css/")
                || path.startsWith("/js/") || path.equals("/favicon.ico") || path.startsWith(HandOff.PREFIX);
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
        return actual != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }

    private void loginPage(Context http) {
        renderLogin(http, null, HttpStatus.OK);
    }

    private void renderLogin(Context http, String error, HttpStatus status) {
        String token = token();
        http.cookie(cookie(LOGIN_COOKIE, token, -1));
        http.status(status);
        ctx.render(http, "auth/login.jte", new LoginPage(
                new PageChrome("Sign in", null, null, null, null), token, safeNext(http.queryParam("next")), error));
    }

    private void login(Context http) {
        if (!sameToken(Optional.ofNullable(http.cookie(LOGIN_COOKIE)).orElse(""), http.formParam(CSRF_FIELD))) {
            renderLogin(http, "The sign-in form expired; please try again.", HttpStatus.FORBIDDEN);
            return;
        }
        String name = http.formParam("username");
        Optional<Role> role = users.authenticate(name, http.formParam("password"));
        if (role.isEmpty()) {
            renderLogin(http, "Wrong user name or password.", HttpStatus.UNAUTHORIZED);
            return;
        }
        Session session = new Session(token(), name, role.get(), token());
        sessions.put(session.id(), session);
        http.cookie(cookie(SESSION_COOKIE, session.id(), -1));
        http.cookie(cookie(LOGIN_COOKIE, "", 0));
        String next = safeNext(http.formParam("next"));
        http.redirect(next == null ? "/endpoints" : next, HttpStatus.SEE_OTHER);
    }

    private void logout(Context http) {
        String id = http.cookie(SESSION_COOKIE);
        if (id != null) {
            sessions.invalidate(id);
        }
        http.cookie(cookie(SESSION_COOKIE, "", 0));
        http.redirect("/login", HttpStatus.SEE_OTHER);
    }

    /** Only same-site paths, never {@code //host} or a full URL (no open redirect). */
    private static String safeNext(String next) {
        return next != null && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : null;
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
