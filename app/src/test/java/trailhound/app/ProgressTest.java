package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void onATerminal_oneLineRewrittenInPlace_thenCleared() {
        StringWriter err = new StringWriter();
        Progress p = new Progress(new PrintWriter(err), "ingesting a.db", 200, true, 0);
        p.update(100);
        p.update(200);
        p.done();
        assertTrue(err.toString().startsWith("\ringesting a.db: 100 events (50%), "), err.toString());
        assertTrue(err.toString().endsWith("\r"), "cleared: " + err);
        assertTrue(err.toString().indexOf('\n') < 0, "no line break: " + err);
    }

    /** Review finding: a log file of `ingest 2> log` was one line of carriage returns. */
    @Test
    void offATerminal_wholeLinesNoCarriageReturn() {
        StringWriter err = new StringWriter();
        Progress p = new Progress(new PrintWriter(err), "ingesting a.db", 0, false, 0);
        p.update(100);
        p.show("re-index job 3: 1 of 2 endpoints");
        p.done();
        assertEquals("trailhound: ingesting a.db: 100 events, ", err.toString().lines().findFirst().orElseThrow().replaceAll("[\\d,.]+/s$", ""));
        assertEquals("trailhound: re-index job 3: 1 of 2 endpoints", err.toString().lines().skip(1).findFirst().orElseThrow());
        assertTrue(err.toString().indexOf('\r') < 0, err.toString());
    }
}
