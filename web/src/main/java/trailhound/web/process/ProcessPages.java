package trailhound.web.process;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.TermQuery;
import trailhound.index.EventIndex;
import trailhound.index.IndexBackend;
import trailhound.index.ProcessBranch;
import trailhound.index.ProcessNode;
import trailhound.index.ProcessView;
import trailhound.schema.Field;
import trailhound.query.IndexFields;
import trailhound.access.Action;
import trailhound.access.AuditLog;
import trailhound.access.Scope;
import trailhound.web.Routes;
import trailhound.web.WebContext;
import trailhound.web.pivot.EndpointLinks;

/**
 * The process details page {@code /endpoints/{ep}/process/{key}} (facts, hash reputation,
 * timeline, tree, Detailed Process History, and the Event History fragment {@code .../events}
 * loaded when its tab opens, and the tree's {@code .../children} pages) and their JSON twins
 * {@code /api/v1/endpoints/{ep}/process/{key}?limit=N&levels=L&children_limit=C} and
 * {@code .../children?offset=O&limit=N&exclude=K&levels=L}.
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
        routes.get("/endpoints/{endpoint}/process/{processKey}/children", Action.VIEW, http -> children(http, ctx, false));
        routes.get("/api/v1/endpoints/{endpoint}/process/{processKey}", Action.VIEW, http -> api(http, ctx));
        routes.get("/api/v1/endpoints/{endpoint}/process/{processKey}/children", Action.VIEW, http -> children(http, ctx, true));
    }

    private static void page(Context http, WebContext ctx) throws IOException {
        String endpoint = trailhound.web.Format.unsegment(http.pathParam("endpoint"));
        String processKey = trailhound.web.Format.unsegment(http.pathParam("processKey"));
        Loaded loaded = load(ctx.scope(http), endpoint, processKey, PAGE_HISTORY, 0, PAGE_HINT, ProcessTree.LEVELS, ProcessTree.PAGE);
        ctx.scope(http).audit("process.view", endpoint, AuditLog.OK, processKey);
        ProcessView view = loaded.view();
        String title = "Process " + (view.process().name() != null ? view.process().name() : view.process().key());
        ProcessModels.Tree t = loaded.tree();
        TreeNode tree = ProcessTree.page(endpoint, t.ancestry(), t.peers(), t.descendants(), ctx.reputation());
        ctx.render(http, "process/details.jte", ProcessModels.page(
                ctx.chrome(http, title).forEndpoint(endpoint), endpoint, view, loaded.parentRecorded(), tree, ctx.reputation(), ctx.json(),
                EndpointLinks.of(ctx.scope(http), endpoint), ctx.access().agents().bound(endpoint)));
    }

    /** The Event History tab's content, loaded when the tab is first shown so the page itself stays small. */
    private static void events(Context http, WebContext ctx) throws IOException {
        String endpoint = trailhound.web.Format.unsegment(http.pathParam("endpoint"));
        Loaded loaded = load(ctx.scope(http), endpoint, trailhound.web.Format.unsegment(http.pathParam("processKey")),
                PAGE_HISTORY, 0, PAGE_HINT, 0, 0);
        ctx.render(http, "process/events.jte", ProcessModels.events(loaded.view(), EndpointLinks.of(ctx.scope(http), endpoint),
                ctx.reputation()));
    }

    private static void api(Context http, WebContext ctx) throws IOException {
        String endpoint = trailhound.web.Format.unsegment(http.pathParam("endpoint"));
        int limit = limit(http.queryParam("limit"));
        int levels = number(http, "levels", ProcessTree.LEVELS, 1, ProcessTree.MAX_LEVELS);
        int childrenLimit = number(http, "children_limit", ProcessTree.PAGE, 1, ProcessTree.MAX_LIMIT);
        String processKey = trailhound.web.Format.unsegment(http.pathParam("processKey"));
        Loaded loaded = load(ctx.scope(http), endpoint, processKey, limit, childrenLimit, apiHint(endpoint), levels, childrenLimit);
        ctx.scope(http).audit("process.view", endpoint, AuditLog.OK, processKey);
        http.json(ProcessModels.api(endpoint, loaded.view(), loaded.parentRecorded(), loaded.tree(), ctx.reputation(),
                EndpointLinks.of(ctx.scope(http), endpoint)));
    }

    private static String apiHint(String endpoint) {
        return "process keys are the process_key of the endpoint's events (GET /api/v1/endpoints/"
                + trailhound.web.Format.segment(endpoint) + "/search)";
    }

    /**
     * A page of a process's children ({@code offset}, {@code limit}, {@code exclude}: a key to leave
     * out, {@code levels}): the tree's "+N more" and expand fragment, or its JSON twin. A key with
     * no children is an empty page, not a 404: a parent may be known only from its children's
     * parent_key.
     */
    private static void children(Context http, WebContext ctx, boolean api) throws IOException {
        String endpoint = trailhound.web.Format.unsegment(http.pathParam("endpoint"));
        String parentKey = trailhound.web.Format.unsegment(http.pathParam("processKey"));
        int offset = number(http, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = number(http, "limit", ProcessTree.PAGE, 1, ProcessTree.MAX_LIMIT);
        int levels = number(http, "levels", 1, 1, ProcessTree.MAX_LEVELS);
        String exclude = http.queryParam("exclude");
        if (exclude != null && exclude.isBlank()) exclude = null;
        Scope access = ctx.scope(http);
        ProcessBranch branch;
        try (IndexBackend.Lease lease = access.index(endpoint)) {
            branch = lease.index().children(parentKey, offset, limit, exclude, levels, ProcessTree.BUDGET);
        }
        access.audit("process.children", endpoint, AuditLog.OK, parentKey + " offset " + offset);
        if (api) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("endpoint", endpoint);
            out.putAll(ProcessTree.json(branch, exclude, ctx.reputation()));
            http.json(out);
        } else {
            ctx.render(http, "process/branch.jte", ProcessTree.branch(endpoint, branch, exclude, ctx.reputation()));
        }
    }

    /** The view and whether its parent has events of its own (else it is known only from the child's parent_* fields). */
    /** @param hint where the reader finds the processes that exist: a page's reader and an API client look in different places */
    /** @param levels descendants to load (0: no tree), {@code children} per page */
    /** @param relatives children and peers listed in the view (0: none; the page draws them from the tree's pages) */
    private static Loaded load(Scope access, String endpoint, String processKey, int limit, int relatives, String hint, int levels,
            int children) throws IOException {
        try (IndexBackend.Lease lease = access.index(endpoint)) {
            Optional<ProcessView> found = lease.index().process(processKey, limit, relatives);
            if (found.isEmpty()) {
                throw new NotFoundResponse("no process '" + processKey + "' on endpoint '" + endpoint + "': " + hint);
            }
            ProcessView view = found.get();
            boolean parentRecorded = view.parent() != null && lease.index().count(new TermQuery(
                    new Term(IndexFields.term(Field.PROCESS_KEY), IndexFields.normalize(view.parent().key())))) > 0;
            ProcessModels.Tree tree = null;
            if (levels > 0) {
                EventIndex index = lease.index();
                List<ProcessNode> ancestry = index.ancestry(processKey);
                ProcessBranch peers = ancestry.size() < 2 ? null
                        : index.children(ancestry.get(ancestry.size() - 2).info().key(), 0, children, processKey, 1, ProcessTree.BUDGET);
                tree = new ProcessModels.Tree(ancestry, peers, index.children(processKey, 0, children, null, levels, ProcessTree.BUDGET));
            }
            return new Loaded(view, parentRecorded, tree);
        }
    }

    private record Loaded(ProcessView view, boolean parentRecorded, ProcessModels.Tree tree) {}

    private static int number(Context http, String name, int fallback, int min, int max) {
        String text = http.queryParam(name);
        if (text == null || text.isBlank()) return fallback;
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // reported below with the accepted range
        }
        throw new BadRequestResponse(name + " must be a whole number from " + min + " to " + max + ", was '" + text + "'");
    }

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
