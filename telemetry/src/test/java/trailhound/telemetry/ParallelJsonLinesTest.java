package trailhound.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.schema.Event;

/**
 * JSON lines parsed on several threads give the same events and the same report as on one: the
 * file is several batches long (a batch is about 256 KB), malformed lines fall on both sides of
 * batch boundaries.
 */
class ParallelJsonLinesTest {
    private static final String LINE = "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
            + "\"Hostname\":\"HOST%d\",\"UtcTime\":\"2020-10-19 07:30:46.251\",\"TimeCreated\":\"2020-10-19 03:30:46.257\","
            + "\"ProcessGuid\":\"{AB-CD}\",\"ProcessId\":\"%d\",\"Image\":\"C:\\\\x\\\\a.exe\",\"Message\":\"%s\"}";

    @TempDir
    Path dir;

    @Test
    void read_manyBatchesWithMalformedLines_sameReportAndEventsAsOneThread() throws IOException {
        StringBuilder text = new StringBuilder();
        List<Long> expectedMalformed = new ArrayList<>();
        java.util.Set<String> distinct = new java.util.HashSet<>();
        String prose = "p".repeat(300);
        for (long line = 1; line <= 12_000; line++) {
            if (line % 997 == 0 || line == 2 || line == 11_999) {
                text.append("{\"EventID\": oops ").append(line).append('\n');
                expectedMalformed.add(line);
            } else if (line % 1500 == 0) {
                text.append('\n'); // blank: not a record, not malformed
            } else {
                String json = String.format(LINE, line % 5000 % 3, line % 5000, prose); // lines n and n + 5000 are equal
                distinct.add(json);
                text.append(json).append('\n');
            }
        }
        Path file = Files.writeString(dir.resolve("big.json"), text);
        assertTrue(Files.size(file) > 8 * 256 * 1024, "several batches: " + Files.size(file));

        List<Event> serial = new ArrayList<>();
        ImportReport one = TelemetryImport.read(file, null, serial::add, 1);
        Queue<Event> parallel = new ConcurrentLinkedQueue<>();
        ImportReport four = TelemetryImport.read(file, null, parallel::add, 4);

        assertEquals(expectedMalformed.size(), one.malformed());
        assertEquals(expectedMalformed.subList(0, 10), one.firstMalformedLines());
        assertEquals(12_000 - 8 - expectedMalformed.size(), one.eventsEmitted());
        assertEquals(distinct.size(), one.distinctEvents(), "a line shipped twice is one event");
        assertTrue(distinct.size() < one.eventsEmitted());
        assertEquals(one, four);
        assertEquals(sortedUids(serial), sortedUids(new ArrayList<>(parallel)));
        assertEquals(3, one.warnings().size(), "a clock skew warning per host: " + one.warnings());
        long skewed = one.warnings().stream()
                .mapToLong(w -> Long.parseLong(w.replaceAll(".* on (\\d+) events of .*", "$1"))).sum();
        assertEquals(one.eventsEmitted(), skewed, "clock skew counted over every batch: " + one.warnings());
    }

    @Test
    void read_truncatedGzipOnSeveralThreads_keepsWhatWasReadLikeOneThread() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 6000; i++) {
            text.append(String.format(LINE, 1, i, "m" + i)).append('\n');
        }
        byte[] bytes = Gzip.of(text.toString());
        Path cut = dir.resolve("events.json.gz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length * 2 / 3));

        AtomicLong serialEvents = new AtomicLong();
        ImportReport one = TelemetryImport.read(cut, null, e -> serialEvents.incrementAndGet(), 1);
        AtomicLong parallelEvents = new AtomicLong();
        ImportReport two = TelemetryImport.read(cut, null, e -> parallelEvents.incrementAndGet(), 2);

        assertTrue(two.warnings().stream().anyMatch(w -> w.startsWith("gzip truncated after " + two.recordsRead())),
                two.warnings().toString());
        assertTrue(parallelEvents.get() > 1000 && parallelEvents.get() < 6000, "kept " + parallelEvents.get());
        assertEquals(serialEvents.get(), parallelEvents.get());
        assertEquals(one, two);
    }

    @Test
    void read_everyOtrfZipOnTwoThreads_sameReportAsOneThread() {
        for (Path zip : Datasets.files("otrf", ".zip")) {
            ImportReport one = TelemetryImport.read(zip, null, e -> { }, 1);
            ImportReport two = TelemetryImport.read(zip, null, e -> { }, 2);
            assertEquals(one, two, zip.toString());
        }
    }

    @Test
    void read_sinkFailsOnAWorker_failureRethrownOnTheCaller() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            text.append(String.format(LINE, 1, i, "p".repeat(200))).append('\n');
        }
        Path file = Files.writeString(dir.resolve("f.json"), text);
        IllegalStateException full = new IllegalStateException("disk full");
        AtomicLong accepted = new AtomicLong();
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> TelemetryImport.read(file, null, e -> {
                    if (accepted.incrementAndGet() == 100) {
                        throw full;
                    }
                }, 2));
        assertSame(full, thrown);
    }

    private static List<String> sortedUids(List<Event> events) {
        return events.stream().map(e -> e.get(trailhound.schema.Field.ENDPOINT) + "|" + e.uid()).sorted().toList();
    }
}
