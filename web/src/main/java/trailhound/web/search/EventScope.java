package trailhound.web.search;

import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import trailhound.index.UnknownEndpointException;
import trailhound.access.Scope;
import trailhound.store.SnapshotInfo;
import trailhound.query.QueryLanguage;
import trailhound.schema.Field;
import trailhound.query.IndexFields;

/**
 * What a search request is about, read from the URL the same way by the grid, the distribution,
 * the exports, the histogram and the API: the endpoint (path), the query text ({@code q}, blank:
 * everything), optionally one snapshot ({@code snapshot}: the endpoint's events restricted to its
 * time window) and the time window's text ({@code from}, {@code to}: see {@link TimeRange}), kept as
 * typed like {@code q} so a page can show a bad one back with the reason.
 */
public record EventScope(String endpoint, String text, SnapshotInfo snapshot, String from, String to) {

    /**
     * Reads the scope of this request.
     *
     * @throws UnknownEndpointException (404) for an endpoint without index
     * @throws NotFoundResponse for an unknown snapshot id
     */
    public static EventScope of(Context http, Scope access) {
        String endpoint = trailhound.web.Format.unsegment(http.pathParam("endpoint"));
        access.endpoint(endpoint); // one outside the caller's groups is unknown, and the refusal audited
        if (!access.hasIndex(endpoint)) {
            throw new UnknownEndpointException(endpoint);
        }
        String q = http.queryParam("q");
        String snapshotId = http.queryParam("snapshot");
        SnapshotInfo snapshot = null;
        if (snapshotId != null && !snapshotId.isBlank()) {
            snapshot = access.snapshot(endpoint, snapshotId).orElseThrow(() -> new NotFoundResponse(
                    "endpoint '" + endpoint + "' has no snapshot '" + snapshotId + "'"));
        }
        return new EventScope(endpoint, q == null ? "" : q, snapshot, param(http, "from"), param(http, "to"));
    }

    private static String param(Context http, String name) {
        String v = http.queryParam(name);
        return v == null ? "" : v.strip();
    }

    /**
     * The time window.
     *
     * @throws trailhound.web.BadRequest for a bad {@code from} or {@code to} (naming it)
     */
    public TimeRange range() {
        return TimeRange.parse(from, to);
    }

    /**
     * The Lucene query: the parsed text, filtered to the snapshot's window when there is one and to
     * the time range ({@link #range}) when it is not open.
     *
     * @throws trailhound.query.QuerySyntaxException for bad text (message and column)
     * @throws trailhound.web.BadRequest for a bad time range
     */
    public Query query(QueryLanguage language) {
        TimeRange range = range();
        return range.filter(untimedQuery(language));
    }

    /**
     * As {@link #query} without the time range: for the histogram, which takes the window as its own
     * edges (and counts a blank query's window from the points alone).
     */
    public Query untimedQuery(QueryLanguage language) {
        Query parsed = text.isBlank() ? new MatchAllDocsQuery() : language.query(text);
        if (snapshot == null) {
            return parsed;
        }
        // The window is a filter, not a scoring clause: it only narrows what the text matches.
        return new BooleanQuery.Builder()
                .add(parsed, BooleanClause.Occur.MUST)
                .add(LongPoint.newRangeQuery(IndexFields.point(Field.TS), snapshot.firstTs(), snapshot.lastTs()),
                        BooleanClause.Occur.FILTER)
                .build();
    }

    /** The query string that reproduces this scope ({@code q=..&snapshot=..&from=..&to=..}), for links. */
    public String params() {
        return untimedParams() + timeParams(from, to);
    }

    /** As {@link #params} without {@code from} and {@code to}, for links that set their own window. */
    public String untimedParams() {
        StringBuilder sb = new StringBuilder("q=").append(trailhound.web.Format.url(text));
        if (snapshot != null) {
            sb.append("&snapshot=").append(trailhound.web.Format.url(snapshot.id()));
        }
        return sb.toString();
    }

    /** {@code &from=..&to=..} for the sides that are set; empty for none. */
    public static String timeParams(String from, String to) {
        return (from == null || from.isEmpty() ? "" : "&from=" + trailhound.web.Format.url(from))
                + (to == null || to.isEmpty() ? "" : "&to=" + trailhound.web.Format.url(to));
    }

    /** What was searched, for the audit trail: the text, then the snapshot and time range when set. */
    public String describe() {
        String window;
        try {
            window = range().describe();
        } catch (trailhound.web.BadRequest e) {
            window = " [from '" + from + "' to '" + to + "']";
        }
        return text + (snapshot == null ? "" : " [snapshot " + snapshot.id() + "]") + window;
    }

    /** The same scope with other query text. */
    public EventScope withText(String newText) {
        return new EventScope(endpoint, newText, snapshot, from, to);
    }
}
