package trailhound.web.admin;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.access.AccessException;
import trailhound.access.Accounts;
import trailhound.access.Action;
import trailhound.access.Caller;
import trailhound.access.Groups;
import trailhound.access.Role;
import trailhound.web.BadRequest;
import trailhound.web.PageChrome;
import trailhound.web.Routes;
import trailhound.web.WebContext;

/**
 * Administration > Users: add (a generated password shown once, or one typed; changed at first
 * sign-in), role, granted groups, disable/enable, reset password. JSON: {@code GET /api/v1/users},
 * {@code POST /api/v1/users} ({@code {"name","role","groups":[..],"password"?}}).
 */
public final class UserPages {
    /** The page; {@code shown} a password to hand over once (for {@code shownFor}), or null. */
    public record UsersPage(PageChrome chrome, List<Accounts.User> users, List<String> groups, String error, String shownFor,
            String shown) {}

    private final WebContext ctx;

    private UserPages(WebContext ctx) {
        this.ctx = ctx;
    }

    public static void register(Routes routes, WebContext ctx) {
        UserPages pages = new UserPages(ctx);
        routes.get("/admin/users", Action.ADMINISTER, http -> pages.render(http, null, null, null));
        routes.postCredentials("/admin/users", Action.ADMINISTER, pages::create);
        routes.post("/admin/users/{name}/role", Action.ADMINISTER, http -> pages.change(http, (by, name) ->
                ctx.access().accounts().setRole(by, name, Role.parse(String.valueOf(http.formParam("role"))))));
        routes.post("/admin/users/{name}/grant", Action.ADMINISTER, http -> pages.change(http, (by, name) ->
                ctx.access().accounts().grant(by, name, String.valueOf(http.formParam("group")))));
        routes.post("/admin/users/{name}/revoke", Action.ADMINISTER, http -> pages.change(http, (by, name) ->
                ctx.access().accounts().revoke(by, name, String.valueOf(http.formParam("group")))));
        routes.post("/admin/users/{name}/disable", Action.ADMINISTER, http -> pages.change(http, (by, name) ->
                ctx.access().accounts().setDisabled(by, name, true)));
        routes.post("/admin/users/{name}/enable", Action.ADMINISTER, http -> pages.change(http, (by, name) ->
                ctx.access().accounts().setDisabled(by, name, false)));
        routes.postCredentials("/admin/users/{name}/reset-password", Action.ADMINISTER, pages::reset);
        routes.get("/api/v1/users", Action.ADMINISTER, pages::apiList);
        routes.postCredentials("/api/v1/users", Action.ADMINISTER, pages::apiCreate);
    }

    private interface Change {
        void apply(Caller by, String name);
    }

    private void render(Context http, String error, String shownFor, String shown) {
        List<String> groups = ctx.access().groups().list().stream().map(Groups.Group::name).toList();
        ctx.render(http, "admin/users.jte", new UsersPage(ctx.chrome(http, "Users"), ctx.access().accounts().list(), groups, error,
                shownFor, shown));
    }

    private void change(Context http, Change change) {
        try {
            change.apply(ctx.scope(http).caller(), http.pathParam("name"));
        } catch (AccessException | IllegalArgumentException e) {
            http.status(HttpStatus.BAD_REQUEST);
            render(http, e.getMessage(), null, null);
            return;
        }
        http.redirect("/admin/users", HttpStatus.SEE_OTHER);
    }

    private void create(Context http) {
        String name = http.formParam("name");
        String typed = http.formParam("password");
        try {
            List<String> groups = http.formParams("groups");
            String pw = ctx.access().accounts().create(ctx.scope(http).caller(), name, Role.parse(String.valueOf(http.formParam("role"))),
                    groups, typed == null || typed.isBlank() ? null : typed, true);
            render(http, null, name, typed == null || typed.isBlank() ? pw : null);
        } catch (AccessException | IllegalArgumentException e) {
            http.status(HttpStatus.BAD_REQUEST);
            render(http, e.getMessage(), null, null);
        }
    }

    private void reset(Context http) {
        String name = http.pathParam("name");
        try {
            render(http, null, name, ctx.access().accounts().resetPassword(ctx.scope(http).caller(), name, null));
        } catch (AccessException e) {
            http.status(HttpStatus.BAD_REQUEST);
            render(http, e.getMessage(), null, null);
        }
    }

    private void apiList(Context http) {
        http.json(Map.of("users", ctx.access().accounts().list().stream().map(u -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", u.name());
            m.put("role", u.role().label());
            m.put("groups", u.groups());
            m.put("disabled", u.disabled());
            m.put("must_change_password", u.mustChangePassword());
            return m;
        }).toList()));
    }

    private void apiCreate(Context http) {
        com.fasterxml.jackson.databind.JsonNode body = ctx.jsonBody(http);
        String usage = "expected {\"name\": \"...\", \"role\": \"analyst\", \"groups\": [\"...\"], \"password\": optional}";
        if (!body.path("name").isTextual() || !body.path("role").isTextual()
                || !(body.path("password").isMissingNode() || body.path("password").isNull() || body.path("password").isTextual())) {
            throw new BadRequest(usage);
        }
        List<String> groups = WebContext.strings(body, "groups", usage);
        String typed = body.path("password").isTextual() ? body.path("password").asText() : null;
        Role role;
        try {
            role = Role.parse(body.path("role").asText());
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        String pw = ctx.access().accounts().create(ctx.scope(http).caller(), body.path("name").asText(), role, groups, typed, true);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", body.path("name").asText());
        out.put("password", typed == null ? pw : null);
        http.status(HttpStatus.CREATED).json(out);
    }
}
