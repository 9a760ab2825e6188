package trailhound.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.lucene.document.LongPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.index.IndexBackend;
import trailhound.index.IndexStats;
import trailhound.query.IndexFields;
import trailhound.samples.SampleGenerator;
import trailhound.schema.Field;
import trailhound.store.Retention;

class RetentionTest {
    private static final long DAY = 86_400_000L;

    @TempDir
    Path tmp;

    private static IndexStats stats(DataDir data, String endpoint) throws Exception {
        try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
            return lease.index().stats();
        }
    }

    private static long countFrom(DataDir data, String endpoint, long ts) throws Exception {
        try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
            return lease.index().count(LongPoint.newRangeQuery(IndexFields.point(Field.TS), ts, Long.MAX_VALUE));
        }
    }

    @Test
    void limits_appliedAfterIngestAndByReindex_countsKeptConsistent() throws Exception {
        Path sample = SampleGenerator.generate(tmp.resolve("s"), 1, 20_000, 51, n -> {}).getFirst(); // 7 days of events
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            data.store().retention().set(Retention.DEFAULT, 3, null);
            IngestReport r = new Ingestor(data).ingest(sample, null);
            String endpoint = r.endpoints().keySet().iterator().next();
            IndexStats s = stats(data, endpoint);
            assertTrue(s.lastTs() - s.firstTs() <= 3 * DAY, "at most 3 days before the newest event");
            long removed = data.store().retention().applied(endpoint).orElseThrow().removed();
            assertTrue(removed > 0 && removed + s.eventCount() == r.added(), removed + " + " + s.eventCount() + " vs " + r.added());
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains("retention (3 days) removed")), r.warnings().toString());
            assertEquals(s.eventCount(), data.store().sources().get(r.sourceId()).orElseThrow().events(),
                    "a source counts what retention left of it");
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());

            // an endpoint's own limit replaces the default; applied now, then by a re-index
            data.store().retention().set(endpoint, null, 5_000L);
            assertTrue(RetentionPolicy.applyNow(data, endpoint) > 0);
            IndexStats capped = stats(data, endpoint);
            assertTrue(capped.eventCount() <= 5_000 + 10, "at most 5,000 (ties at the boundary stay): " + capped.eventCount());
            assertTrue(countFrom(data, endpoint, capped.firstTs() + 1) < 5_000, "the oldest events went first");
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());

            Reindexer.Result rebuilt = new Reindexer(data, 2).reindex(endpoint, (e, n) -> {});
            assertEquals(capped.eventCount(), rebuilt.events(), "a rebuild keeps the same events");
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());
            assertEquals("5,000 events", data.store().retention().limitFor(endpoint).describe());

            // review finding: lifting the limit made every re-index fail; the sources bring the events back
            data.store().retention().set(endpoint, null, null);
            data.store().retention().set(Retention.DEFAULT, null, null);
            assertEquals(r.added(), new Reindexer(data, 2).reindex(endpoint, (e, n) -> {}).events());
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());
        }
    }
}
