package trailhound.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The floor measurement runs for every shape it reports (no timing is asserted). */
class LuceneFloorTest {
    @Test
    void run_everyShape_indexesAndReportsCpu() throws Exception {
        for (LuceneFloor.Shape shape : LuceneFloor.SHAPES) {
            double micros = LuceneFloor.run(shape, 5_000, 2);
            assertTrue(micros > 0 && Double.isFinite(micros), shape + ": " + micros);
        }
    }
}
