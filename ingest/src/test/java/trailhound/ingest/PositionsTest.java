package trailhound.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The two positions of a catch-up newest first, batch by batch, as the journal records them. */
class PositionsTest {
    private static final Positions NONE = new Positions(0, 0, 0, 0, 0);

    @Test
    void catchUp_newestFirst_opensARange_growsBothEnds_thenMerges() {
        // 100 events waited above 10: the newest 20 first
        Positions p = new Positions(10, 0, 0, 0, 0).after(91, 110, true, 100, 20);
        assertEquals(new Positions(10, 91, 110, 100, 20), p);
        p = p.after(111, 115, false, 0, 5); // new events: the live edge
        assertEquals(new Positions(10, 91, 115, 100, 20), p);
        p = p.after(71, 90, true, 0, 20); // the backfill goes down
        assertEquals(new Positions(10, 71, 115, 100, 40), p);
        p = p.after(11, 70, true, 0, 60); // reaches acknowledged + 1: merged, complete
        assertEquals(new Positions(115, 0, 0, 100, 100), p);
        assertFalse(p.catchingUp());
    }

    @Test
    void batchesSentAgain_areHeld_andAddNothing() {
        Positions p = new Positions(10, 91, 110, 100, 20);
        assertTrue(p.holds(91, 110, true), "the first catch-up batch again");
        assertTrue(p.holds(95, 100, false), "inside the range");
        assertTrue(p.holds(3, 9, false), "below acknowledged");
        assertFalse(p.holds(71, 90, true), "the next catch-up batch");
        assertFalse(p.holds(111, 120, false), "new events");
    }

    /**
     * A stale first catch-up batch of an earlier connection (1001..1500) opened the range after this connection
     * began its own catch-up from 1600: its first batch (1101..1600) is not held as sent, and widens the range.
     */
    @Test
    void catchUpBatchAboveTheLiveEdge_isNotHeld_andWidensTheRange() {
        Positions stale = new Positions(0, 0, 0, 0, 0).after(1001, 1500, true, 1500, 500);
        assertFalse(stale.holds(1101, 1600, true), "1501..1600 were never received");
        assertEquals(new Positions(0, 1001, 1600, 1500, 600), stale.after(1101, 1600, true, 0, 100));
    }

    @Test
    void fewWaiting_oneBatch_completesAtOnce() {
        assertEquals(new Positions(30, 0, 0, 3, 3), new Positions(27, 0, 0, 0, 0).after(28, 30, true, 3, 3));
        assertEquals(new Positions(5, 0, 0, 0, 0), NONE.after(1, 5, false, 0, 5), "protocol 1: oldest first, as before");
    }

    @Test
    void eventsDroppedByTheStoreCap_anEmptyLastBatchCompletes() {
        Positions p = new Positions(0, 500, 600, 300, 101).after(1, 499, true, 0, 0);
        assertEquals(new Positions(600, 0, 0, 300, 300), p);
    }

    @Test
    void protocol1AgentResumingFromAcknowledged_growsTheLowerPart() {
        Positions p = new Positions(10, 50, 60, 40, 11).after(11, 49, false, 0, 39);
        assertEquals(new Positions(60, 0, 0, 40, 40), p);
    }
}
