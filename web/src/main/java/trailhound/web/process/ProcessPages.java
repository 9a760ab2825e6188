package trailhound.web.process;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.util.Optional;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.TermQuery;
import trailhound.index.IndexBackend;
import trailhound.index.ProcessView;
import trailhound.schema.Field;
import trailhound.query.IndexFields;
import trailhound.access.Action;
import trailhound.access.AuditLog;
import trailhound.access.Scope;
import trailhound.web.Routes;
import trailhound.web.WebContext;

/**
 * The process details page {@code /endpoints/{ep}/process/{key}} (facts, hash reputation,
 * timeline, tree, Detailed Process History, and the Event History fragment {@code .../events}
 * loaded when its tab opens) and its JSON twin
 * {@code /api/v1/endpoints/{ep}/process/{key}?limit=N}.
 *
 * <p>An unknown endpoint surfaces as {@code UnknownEndpointException} and an unknown process as
 * {@link NotFoundResponse}; both become 404s in the server's one error mapping.
 */
public final class ProcessPages {
    /** Events of the history the page shows; the events grid has the rest. */
    static final int PAGE_HISTORY = 2_000;
    static final int MAX_API_HISTORY = 10_000;
    private static final String PAGE_HINT = "open processes from an event in the events grid";

    private ProcessPages() {}

    public static void register(Routes routes, WebContext ctx) {
        routes.get("/endpoints/{endpoint}/process/{processKey}", Action.VIEW, http -> page(http, ctx));
        routes.get("/endpoints/{endpoint}/process/{processKey}/events", Action.VIEW, http -> events(http, ctx));
        routes.get("/api/v1/endpoints/{endpoint}/process/{processKey}", Action.VIEW, http -> api(http, ctx));
    }

    private static void page(Context http, WebContext ctx) throws IOException {
        String endpoint = trailhound.web.Format.unsegment(http.pathParam("endpoint"));
        String processKey = trailhound.web.Format.unsegment(http.pathParam("processKey"));
        Loaded loaded = load(ctx.scope(http), endpoint, processKey, PAGE_HISTORY, PAGE_HINT);
        ctx.scope(http).audit("process.view", endpoint, AuditLog.OK, processKey);
        ProcessView view = loaded.view();
        String title = "Process " + (view.process().name() != null ? view.process().name() : view.process().key());
        ctx.render(http, "process/details.jte", ProcessModels.page(
                ctx.chrome(http, title).forEndpoint(endpoint), endpoint, view, loaded.parentRecorded(), ctx.reputation(), ctx.json()));
    }

    /** The Event History tab's content, loaded when the tab is first shown so the page itself stays small. */
    private static void events(Context http, WebContext ctx) throws IOException {
        Loaded loaded = load(ctx.scope(http), trailhound.web.Format.unsegment(http.pathParam("endpoint")),
                trailhound.web.Format.unsegment(http.pathParam("processKey")), PAGE_HISTORY, PAGE_HINT);
        ctx.render(http, "process/events.jte", ProcessModels.events(loaded.view()));
    }

    private static void api(Context http, WebContext ctx) throws IOException {
        String endpoint = trailhound.web.Format.unsegment(http.pathParam("endpoint"));
        int limit = limit(http.queryParam("limit"));
        String processKey = trailhound.web.Format.unsegment(http.pathParam("processKey"));
        Loaded loaded = load(ctx.scope(http), endpoint, processKey, limit,
                "process keys are the process_key of the endpoint's events (GET /api/v1/endpoints/" + trailhound.web.Format.segment(endpoint) + "/search)");
        ctx.scope(http).audit("process.view", endpoint, AuditLog.OK, processKey);
        http.json(ProcessModels.api(endpoint, loaded.view(), loaded.parentRecorded(), ctx.reputation()));
    }

    /** The view and whether its parent has events of its own (else it is known only from the child's parent_* fields). */
    /** @param hint where the reader finds the processes that exist: a page's reader and an API client look in different places */
    private static Loaded load(Scope access, String endpoint, String processKey, int limit, String hint) throws IOException {
        try (IndexBackend.Lease lease = access.index(endpoint)) {
            Optional<ProcessView> found = lease.index().process(processKey, limit);
            if (found.isEmpty()) {
                throw new NotFoundResponse("no process '" + processKey + "' on endpoint '" + endpoint + "': " + hint);
            }
            ProcessView view = found.get();
            boolean parentRecorded = view.parent() != null && lease.index().count(new TermQuery(
                    new Term(IndexFields.term(Field.PROCESS_KEY), IndexFields.normalize(view.parent().key())))) > 0;
            return new Loaded(view, parentRecorded);
        }
    }

    private record Loaded(ProcessView view, boolean parentRecorded) {}

    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return PAGE_HISTORY;
        }
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 0 && n <= MAX_API_HISTORY) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted range
        }
        throw new BadRequestResponse("limit must be a whole number from 0 to " + MAX_API_HISTORY + ", was '" + text + "'");
    }
}
