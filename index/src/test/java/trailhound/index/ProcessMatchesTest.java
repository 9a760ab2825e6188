package trailhound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static trailhound.index.TestEvents.T0;
import static trailhound.index.TestEvents.event;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.query.QueryLanguage;
import trailhound.schema.Field;

/** Processes with events matching a query: exact counts and first/last times per process, across segments. */
class ProcessMatchesTest {
    private static final String H = "5f4dcc3b5aa765d61d8327deb882cf99";

    @TempDir
    Path dir;

    @Test
    void processesMatching_countsFirstLastPerProcess_latestFirst_acrossCommits() throws Exception {
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.add(event("a1", T0, "image", "load", "p-a").set(Field.HASH_MD5, H).build());
            index.add(event("b1", T0 + 5, "image", "load", "p-b").set(Field.HASH_MD5, H).build());
            index.add(event("a0", T0 + 1, "file", "create", "p-a").build()); // no hash: not counted
            index.commit(); // a second segment for the rest
            index.add(event("a2", T0 + 9, "image", "load", "p-a").set(Field.HASH_MD5, H).build());
            index.add(event("c1", T0 + 3, "image", "load", "p-c").set(Field.HASH_MD5, H).build());
            index.add(event("n1", T0 + 20, "image", "load", null).set(Field.HASH_MD5, H).build()); // no process
            index.commit();

            ProcessMatches all = index.processesMatching(QueryLanguage.parse("hash:" + H), 10);
            assertEquals(3, all.total());
            assertEquals(List.of(new ProcessMatches.Match("p-a", 2, T0, T0 + 9), new ProcessMatches.Match("p-b", 1, T0 + 5, T0 + 5),
                    new ProcessMatches.Match("p-c", 1, T0 + 3, T0 + 3)), all.newest());

            ProcessMatches two = index.processesMatching(QueryLanguage.parse("hash:" + H), 2);
            assertEquals(3, two.total(), "the total counts every process, the list only the limit");
            assertEquals(List.of("p-a", "p-b"), two.newest().stream().map(ProcessMatches.Match::processKey).toList());
            assertEquals(0, index.processesMatching(QueryLanguage.parse("hash:" + "0".repeat(32)), 10).total());
            assertThrows(IllegalArgumentException.class, () -> index.processesMatching(null, -1));
        }
    }
}
