package trailhound.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobsTest {
    @TempDir Path dir;

    @Test
    void progress_pastTheCountedTotal_raisesTheTotal_neverReadsMoreDoneThanThereAre() {
        Jobs jobs = Store.open(dir.resolve("server.db")).jobs();
        long id = jobs.create("export", "ana", List.of("ws-1"), 600);
        jobs.progress(id, 0, 400);
        assertEquals(600, jobs.get(id).orElseThrow().eventsTotal(), "below the count: the count stands");
        jobs.progress(id, 1, 800); // a live endpoint's events arrived between the count and the export
        assertEquals(800, jobs.get(id).orElseThrow().eventsTotal());
        assertEquals(800, jobs.get(id).orElseThrow().eventsDone());
    }
}
