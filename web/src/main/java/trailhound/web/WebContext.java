package trailhound.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import gg.jte.TemplateEngine;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import java.time.Clock;
import trailhound.access.Access;
import trailhound.access.Scope;
import trailhound.web.auth.Session;
import trailhound.web.reputation.ReputationService;

/**
 * The services a server's handlers share, created once by {@link WebServer} and passed to every
 * feature's {@code register(routes, ctx)}; nothing here is built per request. Handlers reach
 * endpoints, indexes and the store only through {@link #scope(Context)}: the data folder as the
 * signed-in caller may see it.
 *
 * <p>Thread-safe (every component is). {@code reputation} is built with
 * {@code ReputationService.create(data.root(), virusTotalSettings)} and closed with the server.
 * {@code https}: the server serves HTTPS, so its cookies are marked {@code Secure}. {@code ingests}: run every ingest
 * a request starts through it, so the server's stop can stop it in order.
 */
public record WebContext(
        Access access, TemplateEngine templates, Clock clock, ObjectMapper json, ReputationService reputation, boolean https,
        RequestIngests ingests) {

    /** Renders the jte template (path under {@code src/main/jte}) with its one page model as the HTML response. */
    public void render(Context http, String template, Object model) {
        http.html(Templates.render(templates, template, model));
    }

    /**
     * The data folder as this request's caller may see it.
     *
     * @throws UnauthorizedResponse on a route without a signed-in caller (a public route)
     */
    public Scope scope(Context http) {
        Session s = Session.of(http);
        if (s == null) throw new UnauthorizedResponse("sign in first (POST /login)");
        return s.scope();
    }

    /** The request body as JSON; a missing node (every {@code path(..)} missing too) when it is empty or not JSON. */
    public com.fasterxml.jackson.databind.JsonNode jsonBody(Context http) {
        try {
            com.fasterxml.jackson.databind.JsonNode body = json.readTree(http.body());
            return body == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : body;
        } catch (java.io.IOException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    /**
     * Refuses a JSON object holding a field not in {@code known}: a misspelled field ({@code "comand_line"}) was
     * ignored, and the request meant more than was written (a block rule on every /usr/bin program, an export of
     * every event). {@code what} names the object in the message ("a rule").
     *
     * @throws BadRequest naming the unknown field and the known ones
     */
    public static void knownFields(com.fasterxml.jackson.databind.JsonNode object, String what, String... known) {
        if (object == null || !object.isObject()) return;
        java.util.List<String> names = java.util.List.of(known);
        for (var it = object.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!names.contains(field)) {
                String shown = field.length() > 40 ? field.substring(0, 40) + "..." : field;
                throw new BadRequest("unknown field '" + trailhound.web.live.LiveFiles.shownText(shown) + "' in " + what + ": its fields are "
                        + String.join(", ", known) + " (a misspelled field is refused, not ignored)");
            }
        }
    }

    /**
     * The strings of a JSON array field: empty when the field is absent.
     *
     * @throws BadRequest with {@code usage} when it is anything but an array of strings (a lone string
     *     is not taken for a one-element list: a typo must not quietly mean "none")
     */
    public static java.util.List<String> strings(com.fasterxml.jackson.databind.JsonNode body, String field, String usage) {
        com.fasterxml.jackson.databind.JsonNode node = body.path(field);
        if (node.isMissingNode() || node.isNull()) return java.util.List.of();
        java.util.List<String> out = new java.util.ArrayList<>();
        if (node.isArray()) node.forEach(e -> out.add(e.isTextual() ? e.asText() : null));
        if (!node.isArray() || out.contains(null)) throw new BadRequest("'" + field + "' must be a list of strings: " + usage);
        return out;
    }

    /** The layout data for a page titled {@code title}, for the signed-in user of this request. */
    public PageChrome chrome(Context http, String title) {
        Session s = Session.of(http);
        return s == null
                ? new PageChrome(title, null, null, null, null)
                : new PageChrome(title, s.scope().caller().user(), s.scope().caller().role().label(), s.csrfToken(), null);
    }
}
