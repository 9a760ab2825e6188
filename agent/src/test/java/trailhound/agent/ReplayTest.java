package trailhound.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.schema.Event;
import trailhound.telemetry.TelemetryImport;

class ReplayTest {
    @TempDir Path tmp;

    /** Sysmon file-create events in Event XML, 50 of them a second apart. */
    private Path sysmonXml() throws Exception {
        StringBuilder xml = new StringBuilder("<Events>\n");
        for (int i = 0; i < 50; i++) {
            xml.append("<Event><System><EventID>11</EventID><TimeCreated SystemTime='2020-10-19T07:30:")
                    .append(String.format("%02d", i)).append(".000Z'/><EventRecordID>").append(i + 1)
                    .append("</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>ws</Computer>")
                    .append("</System><EventData><Data Name='TargetFilename'>C:\\f").append(i).append(".txt</Data></EventData></Event>\n");
        }
        Path file = tmp.resolve("sysmon.xml");
        Files.writeString(file, xml.append("</Events>\n"));
        return file;
    }

    @Test
    void run_telemetryFile_sameUidsAndFields_timesOfTheReplayAtItsRate() throws Exception {
        Path file = sysmonXml();
        List<Event> original = new ArrayList<>();
        TelemetryImport.read(file, file.getFileName().toString(), null, null, original::add, 1);
        long before = System.currentTimeMillis();
        try (LocalStore store = LocalStore.open(tmp.resolve("state"), 1_000)) {
            Replay replay = new Replay(file, 100, store);
            assertEquals(50, replay.run()); // 50 events at 100/s: 10 ms apart, half a second in all
            long after = System.currentTimeMillis();
            List<LocalStore.Stored> stored = store.after(0, 1_000);
            assertEquals(50, stored.size());
            // what bench --live's probes time a lag from: the newest stored event's slot, read with the count taken
            assertEquals(new Replay.Taken(50, Long.parseLong(stored.getLast().fields().get("ts"))), replay.progress());
            long first = Long.parseLong(stored.getFirst().fields().get("ts"));
            for (int i = 0; i < 50; i++) {
                long ts = Long.parseLong(stored.get(i).fields().get("ts"));
                assertEquals(first + i * 10L, ts, 1, "event " + i + " at its slot of the rate, in the file's order");
                assertTrue(ts >= before && ts <= after, "replayed now, not at the file's times (a second apart): " + ts);
                Map<String, String> expected = new java.util.TreeMap<>(original.get(i).toBuilder().ts(ts)
                        .set(trailhound.schema.Field.ENDPOINT, null).set(trailhound.schema.Field.SOURCE, null).build().toMap());
                assertEquals(expected, new java.util.TreeMap<>(stored.get(i).fields()));
            }
            assertEquals(50, new Replay(file, 100, store).run(), "a finished replay adds nothing again");
            assertEquals(50, store.count());
        }
    }

    @Test
    void run_afterARestart_continuesWithTheNextEvent() throws Exception {
        Path file = sysmonXml();
        try (LocalStore store = LocalStore.open(tmp.resolve("state"), 1_000)) {
            store.putMeta("replay_file", file.toAbsolutePath().normalize() + " (" + Files.size(file) + " bytes)");
            store.putMeta("replay_taken", "20"); // what a killed agent had committed
            Replay replay = new Replay(file, 100_000, store);
            assertEquals(20, replay.taken(), "known before the replay runs: a replay stopped at once still says what was taken");
            replay.run();
            List<LocalStore.Stored> stored = store.after(0, 1_000);
            assertEquals(30, stored.size());
            assertEquals("C:\\f20.txt", stored.getFirst().fields().get("file_path"), "the 21st event first");
            assertEquals("C:\\f49.txt", stored.getLast().fields().get("file_path"));
        }
    }

    @Test
    void run_anotherFileOnTheSameState_startsFromItsBeginning() throws Exception {
        Path first = sysmonXml();
        Path second = tmp.resolve("second.xml");
        Files.copy(first, second);
        try (LocalStore store = LocalStore.open(tmp.resolve("state"), 1_000)) {
            assertEquals(50, new Replay(first, 100_000, store).run());
            // the same events (same uids) again would add nothing, but they are read and taken: 50 of the new file
            assertEquals(50, new Replay(second, 100_000, store).run(), "the second file read from its start, not skipped as done");
            assertEquals(50, new Replay(second, 100_000, store).run(), "and then done");
        }
    }
}
