package trailhound.web.histogram;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.search.Query;
import trailhound.access.Action;
import trailhound.access.AuditLog;
import trailhound.access.Scope;
import trailhound.index.Histogram;
import trailhound.index.IndexBackend;
import trailhound.query.QueryLanguage;
import trailhound.query.QuerySyntaxException;
import trailhound.schema.Event;
import trailhound.web.BadRequest;
import trailhound.web.Routes;
import trailhound.web.WebContext;
import trailhound.web.search.EventScope;
import trailhound.web.search.TimeRange;

/**
 * {@code GET /api/v1/endpoints/{endpoint}/histogram?q=&snapshot=&from=&to=}: exact counts of the
 * matching events over time (the index's {@link Histogram}), for the time picker and histogram drawn
 * above the grid.
 *
 * <p>{@code q} and {@code snapshot} are read as by the grid and the other APIs ({@link EventScope}).
 * {@code from} (inclusive) and {@code to} (exclusive) are each an ISO-8601 time with {@code Z} or an
 * offset ({@code 2026-11-19T07:00:00Z}, {@code 2026-11-19T07:00Z}, {@code 2026-11-19T07:00:00.250+02:00})
 * or epoch milliseconds ({@code 1795071600000}); absent or blank, the matching events' own oldest
 * time (from) or newest time + 1 ms (to). Anything else, or {@code from} not before {@code to}, is
 * a 400 naming the parameter. The answer:
 * <pre>{@code
 * {"endpoint": "WS-01", "query": "type:dns", "from": "2026-11-19T00:00:00.000Z",
 *  "to": "2026-11-19T02:00:00.000Z", "bucket_seconds": 60,
 *  "buckets": [{"start": "2026-11-19T00:00:00.000Z", "end": "2026-11-19T00:01:00.000Z", "count": 12}, ...],
 *  "total": 1234, "partial": []}
 * }</pre>
 * Buckets are aligned to UTC multiples of their size and cover the window, empty ones included; the
 * first and last may reach past it, but count only the events inside it, so the counts add up to
 * {@code total}, which is what {@code /count} answers for the same query within the window. With
 * nothing matched and an open edge, that edge is null and there are no buckets. Audited like a
 * search ({@code histogram}, the query text).
 */
public final class HistogramApi {
    private final WebContext ctx;
    private final QueryLanguage language;

    private HistogramApi(WebContext ctx) {
        this.ctx = ctx;
        this.language = QueryLanguage.withClock(ctx.clock());
    }

    public static void register(Routes routes, WebContext ctx) {
        HistogramApi api = new HistogramApi(ctx);
        routes.get("/api/v1/endpoints/{endpoint}/histogram", Action.VIEW, api::histogram);
    }

    private void histogram(Context http) throws Exception {
        Scope access = ctx.scope(http);
        EventScope scope = EventScope.of(http, access);
        TimeRange range = scope.range();
        Query query;
        try {
            query = scope.untimedQuery(language); // the window goes in as the histogram's edges
        } catch (QuerySyntaxException e) {
            throw new BadRequest(e.getMessage(), e.column());
        }
        access.audit("histogram", scope.endpoint(), AuditLog.OK,
                scope.describe());
        Map<String, Object> body = new LinkedHashMap<>();
        try (IndexBackend.Lease lease = access.index(scope.endpoint())) {
            Histogram h = lease.index().histogram(query, range.from(), range.to());
            body.put("endpoint", scope.endpoint());
            body.put("query", scope.text());
            body.put("from", h.from() == null ? null : Event.formatTime(h.from()));
            body.put("to", h.to() == null ? null : Event.formatTime(h.to()));
            body.put("bucket_seconds", h.bucketMillis() / 1000);
            body.put("buckets", h.buckets().stream().map(b -> Map.of(
                    "start", Event.formatTime(b.start()), "end", Event.formatTime(b.end()), "count", b.count())).toList());
            body.put("total", h.total());
            body.put("partial", lease.index().ingesting()); // as in count: sources being ingested are in the counts so far
        }
        http.json(body);
    }
}
