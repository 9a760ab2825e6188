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
 * the exports and the API: the endpoint (path), the query text ({@code q}, blank: everything) and
 * optionally one snapshot ({@code snapshot}: the endpoint's events restricted to its time window).
 */
public record EventScope(String endpoint, String text, SnapshotInfo snapshot) {

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
        return new EventScope(endpoint, q == null ? "" : q, snapshot);
    }

    /**
     * The Lucene query: the parsed text, filtered to the snapshot's window when there is one.
     *
     * @throws trailhound.query.QuerySyntaxException for bad text (message and column)
     */
    public Query query(QueryLanguage language) {
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

    /** The query string that reproduces this scope ({@code q=..&snapshot=..}), for links. */
    public String params() {
        StringBuilder sb = new StringBuilder("q=").append(trailhound.web.Format.url(text));
        if (snapshot != null) {
            sb.append("&snapshot=").append(trailhound.web.Format.url(snapshot.id()));
        }
        return sb.toString();
    }

    /** The same scope with other query text. */
    public EventScope withText(String newText) {
        return new EventScope(endpoint, newText, snapshot);
    }
}
