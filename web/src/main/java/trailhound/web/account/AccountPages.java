package trailhound.web.account;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.access.AccessException;
import trailhound.access.Action;
import trailhound.access.Caller;
import trailhound.access.TooManyAttemptsException;
import trailhound.access.Tokens;
import trailhound.web.BadRequest;
import trailhound.web.Routes;
import trailhound.web.WebContext;
import trailhound.web.auth.Auth;
import trailhound.web.auth.Session;

/**
 * One's own account, for every role: {@code /account/password} (change the password; the only page
 * open while a change is required) and {@code /account} (API tokens: create with a name and a
 * validity, see once, revoke), with the JSON twins {@code GET/POST /api/v1/tokens} and
 * {@code DELETE /api/v1/tokens/{id}}.
 */
public final class AccountPages {
    private final WebContext ctx;

    private AccountPages(WebContext ctx) {
        this.ctx = ctx;
    }

    public static void register(Routes routes, WebContext ctx) {
        AccountPages pages = new AccountPages(ctx);
        routes.get(Auth.PASSWORD_PAGE, Action.OWN_ACCOUNT, http -> pages.password(http, null, null, HttpStatus.OK));
        routes.postCredentials(Auth.PASSWORD_PAGE, Action.OWN_ACCOUNT, pages::changePassword);
        routes.get("/account", Action.OWN_ACCOUNT, http -> pages.tokens(http, null, null));
        routes.postCredentials("/account/tokens", Action.OWN_ACCOUNT, pages::createFromForm);
        routes.post("/account/tokens/{id}/revoke", Action.OWN_ACCOUNT, pages::revokeFromForm);
        routes.get("/api/v1/tokens", Action.OWN_ACCOUNT, pages::apiList);
        routes.postCredentials("/api/v1/tokens", Action.OWN_ACCOUNT, pages::apiCreate);
        routes.delete("/api/v1/tokens/{id}", Action.OWN_ACCOUNT, pages::apiRevoke);
    }

    private void password(Context http, String error, String done, HttpStatus status) {
        Caller me = ctx.scope(http).caller();
        http.status(status);
        ctx.render(http, "account/password.jte", new PasswordPage(ctx.chrome(http, "Change password"),
                ctx.access().accounts().mustChangePassword(me.user()), error, done));
    }

    private void changePassword(Context http) {
        Caller me = ctx.scope(http).caller();
        String next = http.formParam("new_password");
        if (next == null || !next.equals(http.formParam("repeat_password"))) {
            password(http, "The two new passwords differ.", null, HttpStatus.BAD_REQUEST);
            return;
        }
        try {
            ctx.access().accounts().changeOwnPassword(me, http.formParam("current_password"), next);
        } catch (AccessException e) {
            password(http, capitalised(e.getMessage()) + ".", null, HttpStatus.BAD_REQUEST);
            return;
        } catch (TooManyAttemptsException e) {
            http.header("Retry-After", String.valueOf(e.seconds()));
            password(http, capitalised(e.getMessage()) + ".", null, HttpStatus.TOO_MANY_REQUESTS);
            return;
        }
        Session.of(http).keepAfterPasswordChange();
        password(http, null, "Password changed. You were signed out everywhere else.", HttpStatus.OK);
    }

    private void tokens(Context http, Tokens.Created created, String error) {
        Caller me = ctx.scope(http).caller();
        ctx.render(http, "account/tokens.jte", new TokensPage(ctx.chrome(http, "Account"), me.user(), me.role().label(),
                ctx.access().tokens().list(me.user()), ctx.clock().instant(), created, error));
    }

    private void createFromForm(Context http) {
        try {
            tokens(http, create(http, http.formParam("name"), http.formParam("days")), null);
        } catch (AccessException e) {
            http.status(HttpStatus.BAD_REQUEST);
            tokens(http, null, capitalised(e.getMessage()) + ".");
        }
    }

    private void revokeFromForm(Context http) {
        ctx.access().tokens().revoke(ctx.scope(http).caller(), http.pathParam("id"));
        http.redirect("/account", HttpStatus.SEE_OTHER);
    }

    private Tokens.Created create(Context http, String name, String days) {
        int d;
        try {
            d = days == null || days.isBlank() ? 90 : Integer.parseInt(days.strip());
        } catch (NumberFormatException e) {
            throw new AccessException("the validity is a number of days (1 to " + Tokens.MAX_DAYS + ")");
        }
        Caller me = ctx.scope(http).caller();
        return ctx.access().tokens().create(me, me.user(), name, d);
    }

    private void apiList(Context http) {
        Caller me = ctx.scope(http).caller();
        http.json(Map.of("tokens", ctx.access().tokens().list(me.user()).stream().map(AccountPages::json).toList()));
    }

    private void apiCreate(Context http) {
        com.fasterxml.jackson.databind.JsonNode body = ctx.jsonBody(http);
        com.fasterxml.jackson.databind.JsonNode days = body.path("days");
        if (!body.path("name").isTextual() || !(days.isMissingNode() || days.isNull() || days.isIntegralNumber())) {
            throw new BadRequest("expected a JSON body {\"name\": \"...\", \"days\": 90} (days a whole number, 90 when left out)");
        }
        Tokens.Created t = create(http, body.path("name").asText(), days.isIntegralNumber() ? days.asText() : "");
        Map<String, Object> out = json(t.token());
        out.put("secret", t.secret());
        http.status(HttpStatus.CREATED).json(out);
    }

    private void apiRevoke(Context http) {
        ctx.access().tokens().revoke(ctx.scope(http).caller(), http.pathParam("id"));
        http.status(HttpStatus.NO_CONTENT);
    }

    private static Map<String, Object> json(Tokens.Token t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("user", t.user());
        m.put("created_at", t.created().toString());
        m.put("expires_at", t.expires().toString());
        m.put("revoked_at", t.revoked() == null ? null : t.revoked().toString());
        m.put("last_used_at", t.lastUsed() == null ? null : t.lastUsed().toString());
        return m;
    }

    static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The password form; {@code required} when the user must change it before anything else. */
    public record PasswordPage(trailhound.web.PageChrome chrome, boolean required, String error, String done) {}

    /** The account page: tokens newest first; {@code created} a token just made (its secret shown once), or null. */
    public record TokensPage(trailhound.web.PageChrome chrome, String user, String role, List<Tokens.Token> tokens,
            java.time.Instant now, Tokens.Created created, String error) {}
}
