package trailhound.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import trailhound.protocol.Protocol;

/** A batch holds at most Protocol.MAX_BATCH_BYTES of events, and always one: a longer one never passes the frame limit. */
class BatchSizeTest {
    private static List<LocalStore.Stored> events(int count, int bytes) {
        List<LocalStore.Stored> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) out.add(new LocalStore.Stored(i, new byte[bytes]));
        return out;
    }

    private static List<Long> seqs(List<LocalStore.Stored> events) {
        return events.stream().map(LocalStore.Stored::seq).toList();
    }

    @Test
    void longEvents_cutByBytes_oldestForward_newestForTheCatchUp() {
        List<LocalStore.Stored> mib = events(10, 1 << 20);
        assertEquals(List.of(1L, 2L, 3L), seqs(Agent.fit(mib, false)), "4 MiB: three events of 1 MiB and their commas");
        assertEquals(List.of(8L, 9L, 10L), seqs(Agent.fit(mib, true)));
        assertEquals(List.of(1L), seqs(Agent.fit(events(3, Protocol.MAX_BATCH_BYTES * 2), false)), "one always goes");
        assertEquals(List.of(3L), seqs(Agent.fit(events(3, Protocol.MAX_BATCH_BYTES * 2), true)));
        assertEquals(1000, Agent.fit(events(1000, 300), false).size(), "short events: the count decides");
        assertEquals(List.of(), Agent.fit(List.of(), true));
    }
}
