package trailhound.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.index.IndexBackend;
import trailhound.query.QueryLanguage;
import trailhound.samples.SampleGenerator;
import trailhound.store.EndpointInfo;
import trailhound.store.SourceInfo;

class EndpointAdminTest {
    @TempDir
    Path tmp;

    private static long count(DataDir data, String endpoint, String query) throws Exception {
        try (IndexBackend.Lease lease = data.indexes().acquire(endpoint)) {
            return lease.index().count(query == null ? null : QueryLanguage.parse(query));
        }
    }

    private Path sample(String folder, long seed) throws Exception {
        return SampleGenerator.generate(tmp.resolve(folder), 1, 3_000, seed, n -> {}).getFirst();
    }

    @Test
    void mergeTwoNamesOfOneHost_thenRename_thenPurge() throws Exception {
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            IngestReport shortName = new Ingestor(data).ingest(sample("a", 1), null);
            String host = shortName.endpoints().keySet().iterator().next();
            String fqdn = host.toLowerCase() + ".corp.example";
            IngestReport longName = new Ingestor(data).ingest(sample("b", 2), fqdn);
            long total = shortName.added() + longName.added();

            new EndpointAdmin(data).merge(host, fqdn);
            assertEquals(List.of(fqdn), data.catalogue().endpoints().stream().map(EndpointInfo::name).toList());
            assertEquals(total, count(data, fqdn, null));
            assertEquals(total, count(data, fqdn, "endpoint:\"" + fqdn + "\""),
                    "every event carries the merged name");
            assertFalse(data.indexes().exists(host));
            assertEquals(2, data.catalogue().snapshots(fqdn).size());
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());

            IngestReport later = new Ingestor(data).ingest(sample("c", 3), null); // the host still records under its short name
            assertEquals(java.util.Set.of(fqdn), later.endpoints().keySet(), "an alias leads to the merged endpoint");
            total += later.added();
            assertEquals(total, count(data, fqdn, null));

            new EndpointAdmin(data).rename(fqdn, "ws-renamed");
            assertEquals(total, count(data, "ws-renamed", "endpoint:ws-renamed"));
            assertFalse(data.indexes().exists(fqdn));
            assertEquals(java.util.Set.of("ws-renamed"),
                    new Ingestor(data).ingest(sample("d", 4), null).endpoints().keySet(), "both old names lead to it");
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());
            IngestException taken = assertThrows(IngestException.class, () -> new EndpointAdmin(data).rename("ws-renamed", "ws-renamed"));
            assertTrue(taken.getMessage().contains("already"), taken.getMessage());

            List<SourceInfo> kept = data.store().sources().list(null);
            List<SourceInfo> removed = new EndpointAdmin(data).purge("ws-renamed");
            assertEquals(kept.size(), removed.size());
            assertEquals(List.of(), data.catalogue().endpoints());
            assertEquals(List.of(), data.store().sources().list(null));
            for (SourceInfo s : kept) assertFalse(Files.exists(data.root().resolve(s.path())), s.path());
            assertFalse(data.indexes().exists("ws-renamed"));
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());
            IngestException unknown = assertThrows(IngestException.class, () -> new EndpointAdmin(data).purge("ws-renamed"));
            assertTrue(unknown.getMessage().contains("unknown endpoint"), unknown.getMessage());
        }
    }

    @Test
    void removeSource_takesItsEventsAndFile_andTheLastOneTheEndpoint() throws Exception {
        try (DataDir data = DataDir.open(tmp.resolve("data"))) {
            IngestReport a = new Ingestor(data).ingest(sample("a", 11), null);
            IngestReport b = new Ingestor(data).ingest(sample("b", 12), null);
            String host = a.endpoints().keySet().iterator().next();
            Path keptB = data.root().resolve(data.store().sources().get(b.sourceId()).orElseThrow().path());

            new EndpointAdmin(data).removeSource(b.sourceId());
            assertEquals(a.added(), count(data, host, null));
            assertFalse(Files.exists(keptB));
            assertEquals(1, data.store().sources().list(null).size());
            assertEquals(1, data.catalogue().snapshots(host).size());
            assertTrue(new Verifier(data).verify().consistent(), new Verifier(data).verify().toString());

            new EndpointAdmin(data).removeSource(a.sourceId());
            assertEquals(List.of(), data.catalogue().endpoints(), "nothing is left of the endpoint");
            assertEquals(List.of(), data.store().sources().list(null));
            assertThrows(IngestException.class, () -> new EndpointAdmin(data).removeSource(a.sourceId()));
        }
    }
}
