package trailhound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.index.TestEvents.T0;
import static trailhound.index.TestEvents.event;
import static trailhound.index.TestEvents.processStart;
import static trailhound.index.TestEvents.term;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.schema.Field;

class ProcessTreeTest {
    @TempDir
    Path dir;

    private static final String[] TYPES = {"file", "network", "registry", "dns"};

    /** p0 (root, no parent) -> p1 -> ... -> p{depth-1}; every process does (i % 5) events of each type. */
    private static void chain(EndpointIndex index, int depth) throws IOException {
        index.add(event("p0-s", T0, "process", "start", "p0").set(Field.PROCESS_PATH, "C:\\p0.exe").build());
        for (int i = 1; i < depth; i++) {
            index.add(processStart("p" + i + "-s", T0 + i, "p" + i, "p" + (i - 1), "C:\\p" + i + ".exe", "p" + i));
        }
        for (int i = 0; i < depth; i++) {
            for (String type : TYPES) {
                for (int n = 0; n < i % 5; n++) {
                    index.add(event("p" + i + type + n, T0 + 100 + n, type, "op", "p" + i).set(Field.PARENT_KEY, "p" + Math.max(0, i - 1)).build());
                }
            }
        }
    }

    @Test
    void ancestry_generatedChain_reachesTheRootFirst() throws IOException {
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            chain(index, 40);
            index.refresh();
            List<ProcessNode> up = index.ancestry("P39");
            assertEquals(40, up.size());
            for (int i = 0; i < 40; i++) assertEquals("p" + i, up.get(i).info().key());
            assertNull(up.getFirst().info().parentKey(), "the first is the root");
            assertEquals(List.of("p0"), index.ancestry("p0").stream().map(n -> n.info().key()).toList());
            assertEquals(List.of(), index.ancestry("nobody"));
        }
    }

    /** Child key sets are cached per reader (issue #14): a refresh that sees a new child must not answer the old set. */
    @Test
    void children_newChildAfterRefresh_countedAndListed() throws IOException {
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            chain(index, 3);
            index.add(processStart("q1-s", T0 + 5, "q1", "p0", "C:\\q1.exe", "q1"));
            index.refresh();
            assertEquals(2, index.children("p0", 0, 10, null, 1, 100).total());
            assertEquals(2, index.ancestry("p1").getFirst().counts().children());

            index.add(processStart("q2-s", T0 + 6, "q2", "p0", "C:\\q2.exe", "q2"));
            index.refresh();
            ProcessBranch after = index.children("p0", 0, 10, null, 1, 100);
            assertEquals(List.of("p1", "q1", "q2"), after.nodes().stream().map(n -> n.info().key()).toList());
            assertEquals(3, index.ancestry("p1").getFirst().counts().children());
            assertEquals(List.of("p1", "q1"), index.process("q2", 0, 10).orElseThrow().peers().stream()
                    .map(ProcessInfo::key).toList());
        }
    }

    /** Descriptions and counts are cached per reader too (issue #14): a start event seen after a refresh describes the process. */
    @Test
    void ancestry_startEventAfterRefresh_describesAndCountsAnew() throws IOException {
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.add(event("r-f", T0 + 50, "file", "create", "r").set(Field.PROCESS_PATH, "C:\\old.exe").build());
            index.refresh();
            assertEquals("C:\\old.exe", index.ancestry("r").getLast().info().path());
            assertNull(index.ancestry("r").getLast().info().startTs());
            assertEquals(1, index.ancestry("r").getLast().counts().events());

            index.add(processStart("r-s", T0, "r", null, "C:\\r.exe", "r.exe /now"));
            index.refresh();
            ProcessNode r = index.ancestry("r").getLast();
            assertEquals("r.exe /now", r.info().commandLine());
            assertEquals(T0, r.info().startTs());
            assertEquals(2, r.counts().events());
        }
    }

    @Test
    void ancestry_parentWithoutEvents_describedByChildAndEndsTheChain() throws IOException {
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.add(processStart("s", T0, "child", "ghost", "C:\\child.exe", "child").toBuilder()
                    .set(Field.PARENT_PATH, "C:\\ghost.exe").build());
            index.refresh();
            List<ProcessNode> up = index.ancestry("child");
            assertEquals(2, up.size());
            assertEquals("ghost.exe", up.getFirst().info().name());
            assertEquals("child", up.getLast().info().key());
            assertEquals(0, up.getFirst().counts().events());
        }
    }

    @Test
    void ancestry_cycleInData_stops() throws IOException {
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.add(processStart("a", T0, "a", "b", "C:\\a.exe", "a"));
            index.add(processStart("b", T0, "b", "a", "C:\\b.exe", "b"));
            index.refresh();
            assertEquals(List.of("b", "a"), index.ancestry("a").stream().map(n -> n.info().key()).toList());
        }
    }

    @Test
    void children_pagedWithExclusion_reachEveryChildExactlyOnce() throws IOException {
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.add(event("root", T0, "process", "start", "busy").build());
            for (int i = 0; i < 257; i++) {
                index.add(processStart("c" + i, T0 + i, String.format("c%03d", i), "busy", "C:\\c.exe", "c"));
                if (i % 100 == 99) index.commit(); // several segments
            }
            index.refresh();
            Set<String> seen = new HashSet<>(Set.of("c100"));
            List<String> order = new ArrayList<>();
            int offset = 0;
            ProcessBranch page;
            do {
                page = index.children("BUSY", offset, 20, "c100", 1, 1000);
                assertEquals(256, page.total());
                for (ProcessNode n : page.nodes()) {
                    assertTrue(seen.add(n.info().key()), "twice: " + n.info().key());
                    order.add(n.info().key());
                    assertNull(n.children(), "one level only");
                }
                offset = page.next();
            } while (page.more() > 0);
            assertEquals(257, seen.size());
            assertEquals(order.stream().sorted().toList(), order, "ordered by key");
            assertThrows(IllegalArgumentException.class, () -> index.children("busy", -1, 20, null, 1, 10));
        }
    }

    @Test
    void children_levels_loadedDownToTheLevelAndWithinTheBudget() throws IOException {
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            chain(index, 8);
            index.refresh();
            ProcessBranch three = index.children("p0", 0, 10, null, 3, 100);
            ProcessNode p1 = three.nodes().getFirst();
            ProcessNode p3 = p1.children().nodes().getFirst().children().nodes().getFirst();
            assertEquals("p3", p3.info().key());
            assertNull(p3.children(), "three levels");
            assertEquals(1, p3.counts().children(), "but it says it has a child");
            assertNull(index.children("p0", 0, 10, null, 3, 1).nodes().getFirst().children(), "budget spent");
        }
    }

    @Test
    void counts_perNode_equalCountSearches() throws IOException {
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            chain(index, 12);
            index.refresh();
            List<ProcessNode> nodes = new ArrayList<>(index.ancestry("p10"));
            ProcessBranch below = index.children("p10", 0, 10, null, 1, 10); // p11
            nodes.addAll(below.nodes());
            assertEquals(12, nodes.size());
            for (ProcessNode n : nodes) {
                for (String type : List.of("file", "network", "registry", "dns", "process")) {
                    long expected = index.count(new BooleanQuery.Builder()
                            .add(term(Field.PROCESS_KEY, n.info().key()), Occur.FILTER)
                            .add(term(Field.TYPE, type), Occur.FILTER).build());
                    assertEquals(expected, n.counts().of(type), n.info().key() + " " + type);
                }
                assertEquals(index.children(n.info().key(), 0, 100, null, 1, 100).total(), n.counts().children());
            }
            assertNotNull(below.nodes().getFirst().counts());
        }
    }

    /**
     * A busy parent (services.exe-like) with thousands of children, each with a few dozen events:
     * prints how long the tree's index calls take, warm. Figures for the issue, not assertions.
     */
    @Test
    void busyParent_timings() throws IOException {
        int peers = Integer.getInteger("tree.peers", 3000);
        int perPeer = Integer.getInteger("tree.events", 30);
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.add(event("svc", T0, "process", "start", "services").build());
            for (int i = 0; i < peers; i++) {
                String key = "svc-" + i;
                index.add(processStart(key + "-s", T0 + i, key, "services", "C:\\svchost.exe", "svchost -k " + i));
                for (int n = 0; n < perPeer; n++) {
                    index.add(event(key + "-" + n, T0 + i + n, TYPES[n % TYPES.length], "op", key).set(Field.PARENT_KEY, "services").build());
                }
            }
            index.commit();
            long events = index.count(null);
            String self = "svc-1500";
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                index.ancestry(self);
                long t1 = System.nanoTime();
                ProcessBranch first = index.children("services", 0, 20, self, 3, 200);
                long t2 = System.nanoTime();
                int offset = first.next();
                int pages = 1;
                while (offset < first.total()) {
                    offset = index.children("services", offset, 50, self, 1, 200).next();
                    pages++;
                }
                long t3 = System.nanoTime();
                index.process(self, 0);
                long t4 = System.nanoTime();
                index.children("services", 0, 0, self, 1, 200); // only the parent's child keys: no description, no counts
                long t5 = System.nanoTime();
                System.out.printf("tree of %d events, %d peers: ancestry %.1f ms, first peer page (20, 3 levels) %.1f ms,"
                                + " all %d pages of 50 %.1f ms (%.1f ms/page), old process view %.1f ms, child keys alone %.1f ms%n",
                        events, peers, (t1 - t0) / 1e6, (t2 - t1) / 1e6, pages, (t3 - t2) / 1e6, (t3 - t2) / 1e6 / pages, (t4 - t3) / 1e6, (t5 - t4) / 1e6);
            }
        }
    }
}
