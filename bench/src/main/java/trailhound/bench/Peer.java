package trailhound.bench;

/**
 * An engine an analyst might pick instead of the index, loaded with the same snapshot and asked
 * the same suite in the same run ({@code bench --peers}). Each answer must equal the index's.
 */
interface Peer extends AutoCloseable {
    /** Short name for the report: "duckdb", "opensearch". */
    String name();

    /** How it was loaded: events, wall seconds (reading the snapshot included), size on disk (-1 unknown). */
    BenchReport.PeerLoad loaded();

    Answer run(QueryCase q) throws Exception;
}
