package trailhound.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import gg.jte.TemplateEngine;
import io.javalin.http.Context;
import java.time.Clock;
import trailhound.ingest.DataDir;
import trailhound.web.auth.Session;
import trailhound.web.reputation.ReputationService;

/**
 * The services a server's handlers share, created once by {@link WebServer} and passed to every
 * feature's {@code register(routes, ctx)}; nothing here is built per request.
 *
 * <p>Thread-safe (every component is). {@code reputation} is built with
 * {@code ReputationService.create(data.root(), virusTotalSettings)} and closed with the server.
 * {@code https}: the server serves HTTPS, so its cookies are marked {@code Secure}.
 */
public record WebContext(
        DataDir data, TemplateEngine templates, Clock clock, ObjectMapper json, ReputationService reputation, boolean https) {

    /** Renders the jte template (path under {@code src/main/jte}) with its one page model as the HTML response. */
    public void render(Context http, String template, Object model) {
        http.html(Templates.render(templates, template, model));
    }

    /** The layout data for a page titled {@code title}, for the signed-in user of this request. */
    public PageChrome chrome(Context http, String title) {
        Session s = Session.of(http);
        return s == null
                ? new PageChrome(title, null, null, null, null)
                : new PageChrome(title, s.user(), s.role().label(), s.csrfToken(), null);
    }
}
