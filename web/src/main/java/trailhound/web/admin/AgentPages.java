package trailhound.web.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.access.AccessException;
import trailhound.access.Action;
import trailhound.access.Agents;
import trailhound.web.BadRequest;
import trailhound.web.PageChrome;
import trailhound.web.Routes;
import trailhound.web.WebContext;

/**
 * Administration > Agents: enrolment tokens (list, create with a group, a validity and a number of
 * uses, the secret shown once; revoke) and enrolled agents (list, revoke). Everything goes through
 * {@link Agents}, which checks the role, refuses API tokens for changes and audits. JSON twins:
 * {@code GET/POST /api/v1/enrolment-tokens}, {@code DELETE /api/v1/enrolment-tokens/{id}},
 * {@code GET /api/v1/agents}, {@code POST /api/v1/agents/{id}/revoke}.
 */
public final class AgentPages {
    /** The page: tokens newest first, agents by endpoint; {@code created} a token just made (secret shown once) or null. */
    public record AgentsPage(PageChrome chrome, List<TokenRow> tokens, List<Agents.EnrolledAgent> agents, Agents.Created created,
            String error) {}

    /** A token's row with its state now: active, used up, expired or revoked. */
    public record TokenRow(Agents.EnrolmentToken token, String state) {}

    private static final int MAX_HOURS = 366 * 24;
    private final WebContext ctx;

    private AgentPages(WebContext ctx) {
        this.ctx = ctx;
    }

    public static void register(Routes routes, WebContext ctx) {
        AgentPages pages = new AgentPages(ctx);
        routes.get("/admin/agents", Action.ADMINISTER, http -> pages.render(http, null, null));
        routes.post("/admin/agents/tokens", Action.ADMINISTER, pages::createFromForm);
        routes.post("/admin/agents/tokens/{id}/revoke", Action.ADMINISTER, http -> pages.change(http,
                () -> ctx.access().agents().revokeToken(ctx.scope(http).caller(), http.pathParam("id"))));
        routes.post("/admin/agents/{id}/revoke", Action.ADMINISTER, http -> pages.change(http,
                () -> ctx.access().agents().revokeAgent(ctx.scope(http).caller(), http.pathParam("id"))));
        routes.get("/api/v1/enrolment-tokens", Action.ADMINISTER, http -> http.json(Map.of("tokens",
                rows(ctx).stream().map(AgentPages::json).toList())));
        routes.post("/api/v1/enrolment-tokens", Action.ADMINISTER, pages::apiCreate);
        routes.delete("/api/v1/enrolment-tokens/{id}", Action.ADMINISTER, http -> {
            ctx.access().agents().revokeToken(ctx.scope(http).caller(), http.pathParam("id"));
            http.status(HttpStatus.NO_CONTENT);
        });
        routes.get("/api/v1/agents", Action.ADMINISTER, http -> http.json(Map.of("agents",
                ctx.access().agents().agents().stream().map(AgentPages::json).toList())));
        routes.post("/api/v1/agents/{id}/revoke", Action.ADMINISTER, http -> {
            ctx.access().agents().revokeAgent(ctx.scope(http).caller(), http.pathParam("id"));
            http.status(HttpStatus.NO_CONTENT);
        });
    }

    private void render(Context http, Agents.Created created, String error) {
        ctx.render(http, "admin/agents.jte", new AgentsPage(ctx.chrome(http, "Agents"), rows(ctx), ctx.access().agents().agents(),
                created, error));
    }

    private static List<TokenRow> rows(WebContext ctx) {
        Instant now = ctx.clock().instant();
        return ctx.access().agents().tokens().stream().map(t -> new TokenRow(t, t.revoked() != null ? "revoked"
                : t.uses() >= t.maxUses() ? "used up" : now.isBefore(t.expires()) ? "active" : "expired")).toList();
    }

    private void createFromForm(Context http) {
        try {
            render(http, create(http, http.formParam("group"), http.formParam("hours"), http.formParam("uses")), null);
        } catch (AccessException e) {
            http.status(HttpStatus.BAD_REQUEST);
            render(http, null, e.getMessage());
        }
    }

    private void change(Context http, Runnable change) {
        try {
            change.run();
        } catch (AccessException e) {
            http.status(HttpStatus.BAD_REQUEST);
            render(http, null, e.getMessage());
            return;
        }
        http.redirect("/admin/agents", HttpStatus.SEE_OTHER);
    }

    private Agents.Created create(Context http, String group, String hours, String uses) {
        int h = number(hours, 24, "the validity is a number of hours (1 to " + MAX_HOURS + ")");
        int n = number(uses, 1, "uses is a number of enrolments (1 to " + Agents.MAX_USES + ")");
        if (h < 1 || h > MAX_HOURS) throw new AccessException("the validity is a number of hours (1 to " + MAX_HOURS + "), not " + h);
        String g = group == null || group.isBlank() ? null : group.strip();
        return ctx.access().agents().create(ctx.scope(http).caller(), g, Duration.ofHours(h), n);
    }

    private static int number(String text, int fallback, String message) {
        if (text == null || text.isBlank()) return fallback;
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new AccessException(message);
        }
    }

    private void apiCreate(Context http) {
        JsonNode body = ctx.jsonBody(http);
        JsonNode group = body.path("group");
        JsonNode hours = body.path("hours");
        JsonNode uses = body.path("uses");
        if (!(group.isMissingNode() || group.isNull() || group.isTextual()) || !(hours.isMissingNode() || hours.isIntegralNumber())
                || !(uses.isMissingNode() || uses.isIntegralNumber())) {
            throw new BadRequest("expected a JSON body {\"group\": \"...\" or null, \"hours\": 24, \"uses\": 1} (all optional)");
        }
        Agents.Created c = create(http, group.isTextual() ? group.asText() : null, hours.isIntegralNumber() ? hours.asText() : null,
                uses.isIntegralNumber() ? uses.asText() : null);
        Map<String, Object> out = json(rows(ctx).stream().filter(r -> r.token().id().equals(c.token().id())).findFirst()
                .orElse(new TokenRow(c.token(), "active")));
        out.put("secret", c.secret());
        http.status(HttpStatus.CREATED).json(out);
    }

    private static Map<String, Object> json(TokenRow r) {
        Agents.EnrolmentToken t = r.token();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("group", t.group());
        m.put("uses", t.uses());
        m.put("max_uses", t.maxUses());
        m.put("state", r.state());
        m.put("created_at", t.created().toString());
        m.put("expires_at", t.expires().toString());
        m.put("created_by", t.createdBy());
        m.put("revoked_at", t.revoked() == null ? null : t.revoked().toString());
        return m;
    }

    private static Map<String, Object> json(Agents.EnrolledAgent a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.agentId());
        m.put("endpoint", a.endpoint());
        m.put("hostname", a.hostname());
        m.put("os", a.os());
        m.put("version", a.agentVersion());
        m.put("enrolled_at", a.enrolled().toString());
        m.put("first_seen", a.firstSeen() == null ? null : a.firstSeen().toString());
        m.put("last_seen", a.lastSeen() == null ? null : a.lastSeen().toString());
        m.put("online", a.online());
        m.put("revoked_at", a.revoked() == null ? null : a.revoked().toString());
        m.put("revoked_by", a.revokedBy());
        return m;
    }
}
