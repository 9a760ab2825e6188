package trailhound.web.distribution;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.Query;
import trailhound.index.Distribution;
import trailhound.index.IndexBackend;
import trailhound.schema.Event;
import trailhound.query.QueryLanguage;
import trailhound.query.QuerySyntaxException;
import trailhound.access.Action;
import trailhound.access.Scope;
import trailhound.web.BadRequest;
import trailhound.web.Routes;
import trailhound.web.WebContext;
import trailhound.web.search.EventScope;
import trailhound.web.search.TimePicker;
import trailhound.web.search.TimeViews;

/**
 * {@code /endpoints/{endpoint}/distribution?q=&snapshot=&from=&to=} (bars per type, alphabetical, with a
 * client-side Sort By Count; a click on a bar opens the grid filtered to that type) and its twin
 * {@code /api/v1/endpoints/{endpoint}/distribution}.
 */
public final class DistributionPages {
    private final WebContext ctx;
    private final QueryLanguage language;

    private DistributionPages(WebContext ctx) {
        this.ctx = ctx;
        this.language = QueryLanguage.withClock(ctx.clock());
    }

    public static void register(Routes routes, WebContext ctx) {
        DistributionPages pages = new DistributionPages(ctx);
        routes.get("/endpoints/{endpoint}/distribution", Action.VIEW, pages::page);
        routes.get("/api/v1/endpoints/{endpoint}/distribution", Action.VIEW, pages::api);
    }

    private void page(Context http) throws Exception {
        Scope access = ctx.scope(http);
        EventScope scope = EventScope.of(http, access);
        var chrome = ctx.chrome(http, "Distribution · " + scope.endpoint()).forEndpoint(scope.endpoint());
        long[] extent = TimeViews.extent(access, scope);
        String path = "/endpoints/" + trailhound.web.Format.segment(scope.endpoint()) + "/distribution";
        List<TimePicker.Param> keep = new ArrayList<>();
        keep.add(new TimePicker.Param("q", scope.text()));
        if (scope.snapshot() != null) keep.add(new TimePicker.Param("snapshot", scope.snapshot().id()));
        Long newest = extent == null ? null : extent[1];
        Query query;
        try {
            query = scope.query(language);
        } catch (QuerySyntaxException | BadRequest e) {
            boolean window = e instanceof BadRequest;
            http.status(HttpStatus.BAD_REQUEST);
            ctx.render(http, "distribution/page.jte", new DistributionPage(chrome, scope, 0, List.of(), List.of(),
                    window ? null : e.getMessage(), e instanceof QuerySyntaxException q ? q.column() : null,
                    retention(access, scope.endpoint()),
                    TimeViews.picker(path, keep, scope.from(), scope.to(), newest, ctx.clock().instant())));
            return;
        }
        audited(access, scope);
        Distribution d = distribution(access, scope, query);
        TimePicker time = TimeViews.picker(path, keep, scope.from(), scope.to(), newest, ctx.clock().instant())
                .withHint(extent == null ? null : TimeViews.missed(scope.range(), d.total(), extent[0], extent[1]));
        ctx.render(http, "distribution/page.jte", new DistributionPage(chrome, scope, d.total(),
                bars(scope, d.types(), "type"), bars(scope, d.operations(), null), null, null, retention(access, scope.endpoint()), time));
    }

    /** Counts under a query tell as much as a search: in the audit trail like one, with the query text. */
    private static void audited(Scope access, EventScope scope) {
        access.audit("distribution", scope.endpoint(), trailhound.access.AuditLog.OK,
                scope.describe());
    }

    private void api(Context http) throws Exception {
        Scope access = ctx.scope(http);
        EventScope scope = EventScope.of(http, access);
        Query query;
        try {
            query = scope.query(language);
        } catch (QuerySyntaxException e) {
            throw new BadRequest(e.getMessage(), e.column());
        }
        audited(access, scope);
        Distribution d = distribution(access, scope, query);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("endpoint", scope.endpoint());
        body.put("query", scope.text());
        body.put("total", d.total());
        body.put("types", d.types());
        body.put("operations", d.operations());
        body.put("retention", retention(access, scope.endpoint()));
        http.json(body);
    }

    /**
     * What the seed's distribution says of its records, "limited by the maximum size or days
     * configured": the limit in force and what it removed, e.g. "Retention: 30 days before the newest
     * event; 12,345 older events removed (oldest kept 2026-10-21T00:00:00.000Z)".
     */
    private static String retention(Scope access, String endpoint) {
        var retention = access.retention();
        var limit = retention.limitFor(endpoint);
        var applied = retention.applied(endpoint);
        String removed = applied.map(a -> String.format("; %,d older events removed%s", a.removed(),
                a.cutoffTs() == null ? "" : " (oldest kept " + Event.formatTime(a.cutoffTs()) + ")")).orElse("");
        return limit.none() ? "Retention: no limit; every event is kept" + removed
                : "Retention: at most " + limit.describe() + (limit.maxDays() != null ? " before the newest event" : "") + removed;
    }

    private static Distribution distribution(Scope access, EventScope scope, Query query) throws Exception {
        try (IndexBackend.Lease lease = access.index(scope.endpoint())) {
            return lease.index().distribution(query);
        }
    }

    /** Bars in alphabetical order; for types ({@code field} "type") the link filters the grid to the type. */
    private static List<DistributionPage.Bar> bars(EventScope scope, Map<String, Long> counts, String field) {
        long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(1);
        List<DistributionPage.Bar> bars = new ArrayList<>();
        counts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String filter = field != null ? "type:" + e.getKey() : typeAndOperation(e.getKey());
            bars.add(new DistributionPage.Bar(e.getKey(), e.getValue(), e.getValue() / (double) Math.max(1, max),
                    "/endpoints/" + trailhound.web.Format.segment(scope.endpoint()) + "/events?" + scope.withText(and(scope.text(), filter)).params()));
        });
        return bars;
    }

    private static String typeAndOperation(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? "type:" + key : "type:" + key.substring(0, slash) + " AND operation:" + key.substring(slash + 1);
    }

    /**
     * The current text narrowed by the filter. A text with OR is grouped so its OR cannot swallow the
     * filter; a plain conjunction stays flat, so the builder can still show it as rows.
     */
    static String and(String text, String filter) {
        if (text == null || text.isBlank()) {
            return filter;
        }
        return text.matches("(?s).*\\bOR\\b.*") ? "(" + text + ") AND " + filter : text + " AND " + filter;
    }
}
