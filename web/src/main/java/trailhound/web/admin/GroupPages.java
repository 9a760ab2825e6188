package trailhound.web.admin;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import trailhound.access.AccessException;
import trailhound.access.Action;
import trailhound.access.Caller;
import trailhound.access.Groups;
import trailhound.web.PageChrome;
import trailhound.web.Routes;
import trailhound.web.WebContext;

/**
 * Administration > Groups: computer groups, static (named endpoints) and dynamic (a rule over name,
 * hostname, os, ip and tags), with their members now and a preview while a rule is typed
 * ({@code /admin/groups/preview?rule=&endpoints=}, an htmx fragment). JSON: {@code GET /api/v1/groups}.
 */
public final class GroupPages {
    /** A group, its members now and the endpoints named in it that the data folder does not have (yet). */
    /** A group's row; {@code streams}: its endpoints send live events all the time. */
    public record Row(Groups.Group group, SortedSet<String> members, SortedSet<String> notSeen, boolean streams) {}

    public record GroupsPage(PageChrome chrome, List<Row> groups, String error) {}

    /** The preview fragment: members, or the rule's error. */
    public record Preview(SortedSet<String> members, String error) {}

    private final WebContext ctx;

    private GroupPages(WebContext ctx) {
        this.ctx = ctx;
    }

    public static void register(Routes routes, WebContext ctx) {
        GroupPages pages = new GroupPages(ctx);
        routes.get("/admin/groups", Action.ADMINISTER, http -> pages.render(http, null));
        routes.get("/admin/groups/preview", Action.ADMINISTER, pages::preview);
        routes.post("/admin/groups", Action.ADMINISTER, http -> pages.change(http, (by, g) ->
                ctx.access().groups().create(by, http.formParam("name"), http.formParam("rule"), split(http.formParam("endpoints")))));
        routes.post("/admin/groups/{name}/rule", Action.ADMINISTER, http -> pages.change(http, (by, g) ->
                ctx.access().groups().setRule(by, g, http.formParam("rule"))));
        routes.post("/admin/groups/{name}/add-endpoint", Action.ADMINISTER, http -> pages.change(http, (by, g) ->
                ctx.access().groups().addEndpoint(by, g, String.valueOf(http.formParam("endpoint")).strip())));
        routes.post("/admin/groups/{name}/remove-endpoint", Action.ADMINISTER, http -> pages.change(http, (by, g) ->
                ctx.access().groups().removeEndpoint(by, g, String.valueOf(http.formParam("endpoint")))));
        routes.post("/admin/groups/{name}/stream", Action.ADMINISTER, http -> pages.change(http, (by, g) ->
                ctx.access().groups().setStream(by, g, "always".equals(http.formParam("stream")))));
        routes.post("/admin/groups/{name}/delete", Action.ADMINISTER, http -> pages.change(http, (by, g) ->
                ctx.access().groups().delete(by, g)));
        routes.get("/api/v1/groups", Action.ADMINISTER, pages::api);
    }

    private interface Change {
        void apply(Caller by, String group);
    }

    private void render(Context http, String error) {
        Groups groups = ctx.access().groups();
        List<String> streaming = groups.streaming();
        List<Row> rows = groups.list().stream().map(g -> new Row(g, groups.members(g.name()), groups.notSeen(g.name()),
                streaming.contains(g.name()))).toList();
        ctx.render(http, "admin/groups.jte", new GroupsPage(ctx.chrome(http, "Groups"), rows, error));
    }

    private void change(Context http, Change change) {
        try {
            change.apply(ctx.scope(http).caller(), http.pathParamMap().containsKey("name") ? http.pathParam("name") : null);
        } catch (AccessException e) {
            http.status(HttpStatus.BAD_REQUEST);
            render(http, e.getMessage());
            return;
        }
        http.redirect("/admin/groups", HttpStatus.SEE_OTHER);
    }

    private void preview(Context http) {
        Preview p;
        try {
            p = new Preview(ctx.access().groups().preview(http.queryParam("rule"), split(http.queryParam("endpoints"))), null);
        } catch (AccessException e) {
            p = new Preview(null, e.getMessage());
        }
        ctx.render(http, "admin/preview.jte", p);
    }

    private void api(Context http) {
        http.json(Map.of("groups", ctx.access().groups().list().stream().map(g -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", g.name());
            m.put("rule", g.rule());
            m.put("builtin", g.builtin());
            m.put("endpoints", g.endpoints());
            m.put("members", ctx.access().groups().members(g.name()));
            m.put("not_seen", ctx.access().groups().notSeen(g.name()));
            return m;
        }).toList()));
    }

    private static List<String> split(String commaSeparated) {
        List<String> out = new ArrayList<>();
        if (commaSeparated == null) return out;
        for (String s : commaSeparated.split(",")) {
            if (!s.isBlank()) out.add(s.strip());
        }
        return out;
    }
}
