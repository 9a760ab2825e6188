package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --from}, {@code --to} and {@code --last} on search (one endpoint, a hunt with {@code --all},
 * CSV) and distribution, over two endpoints whose event times are listed here: every expected count
 * is computed from that list, not by the code under test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimeWindowCommandsTest {
    /** Process starts per endpoint, UTC. */
    static final Map<String, List<String>> TIMES = Map.of(
            "WS-A", List.of("2026-11-18T23:59:59Z", "2026-11-19T00:00:00Z", "2026-11-19T00:30:00Z", "2026-11-19T12:00:00Z",
                    "2026-11-19T23:59:59.999Z", "2026-11-20T00:00:00Z", "2026-11-20T06:00:30Z"),
            "WS-B", List.of("2026-11-19T10:00:00Z", "2026-11-20T05:59:00Z"));

    Path data;

    @BeforeAll
    void ingest(@TempDir Path tmp) throws Exception {
        data = tmp.resolve("data");
        StringBuilder lines = new StringBuilder();
        int n = 0;
        for (Map.Entry<String, List<String>> e : TIMES.entrySet()) {
            for (String t : e.getValue()) {
                n++;
                String utc = Instant.parse(t).toString().replace('T', ' ').replace("Z", "");
                lines.append("{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Hostname\":\"").append(e.getKey())
                        .append("\",\"UtcTime\":\"").append(utc).append("\",\"ProcessGuid\":\"{").append(String.format("%08d-0000-0000-0000-000000000000", n))
                        .append("}\",\"ProcessId\":\"").append(n).append("\",\"Image\":\"C:\\\\x.exe\",\"CommandLine\":\"x\"}\n");
            }
        }
        Path file = Files.writeString(tmp.resolve("times.json"), lines);
        Cli ingest = Cli.run("ingest", "--data", data.toString(), file.toString());
        assertEquals(0, ingest.status(), ingest.err());
    }

    private static long expected(String endpoint, LongPredicate inside) {
        return TIMES.get(endpoint).stream().mapToLong(t -> Instant.parse(t).toEpochMilli()).filter(inside).count();
    }

    private static LongPredicate between(String from, String to) {
        long lo = Instant.parse(from).toEpochMilli();
        long hi = Instant.parse(to).toEpochMilli();
        return t -> t >= lo && t < hi;
    }

    private Cli run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--data");
        all.add(2, data.toString());
        return Cli.run(all.toArray(String[]::new));
    }

    private long count(String... args) {
        Cli cli = run(args);
        assertEquals(0, cli.status(), String.join(" ", args) + ": " + cli.err());
        return Long.parseLong(cli.out().strip());
    }

    @Test
    void search_fromTo_isoTimes_fromInclusiveToExclusive() {
        assertEquals(expected("WS-A", between("2026-11-19T00:00:00Z", "2026-11-20T00:00:00Z")),
                count("search", "--endpoint", "WS-A", "--count", "--from", "2026-11-19T00:00:00Z", "--to", "2026-11-20T00:00:00Z"));
        assertEquals(4, expected("WS-A", between("2026-11-19T00:00:00Z", "2026-11-20T00:00:00Z")), "the fixture is what it says");
    }

    @Test
    void search_sameWindowInEveryForm_sameCount() {
        long iso = count("search", "--endpoint", "WS-A", "--count", "--from", "2026-11-19T00:30:00Z", "--to", "2026-11-20T06:00:30Z");
        assertEquals(expected("WS-A", between("2026-11-19T00:30:00Z", "2026-11-20T06:00:30Z")), iso);
        assertEquals(iso, count("search", "--endpoint", "WS-A", "--count", "--from", "2026-11-19T01:30:00+01:00",
                "--to", "2026-11-20T07:00:30+01:00"));
        assertEquals(iso, count("search", "--endpoint", "WS-A", "--count", "--from",
                String.valueOf(Instant.parse("2026-11-19T00:30:00Z").toEpochMilli()), "--to", "2026-11-20T06:00:30Z"));
    }

    @Test
    void search_dates_wholeUtcDays() {
        assertEquals(expected("WS-A", between("2026-11-19T00:00:00Z", "2026-11-20T00:00:00Z")),
                count("search", "--endpoint", "WS-A", "--count", "--from", "2026-11-19", "--to", "2026-11-19"));
        assertEquals(expected("WS-A", t -> t >= Instant.parse("2026-11-20T00:00:00Z").toEpochMilli()),
                count("search", "--endpoint", "WS-A", "--count", "--from", "2026-11-20"));
        assertEquals(expected("WS-A", t -> t < Instant.parse("2026-11-19T00:00:00Z").toEpochMilli()),
                count("search", "--endpoint", "WS-A", "--count", "--to", "2026-11-18"));
    }

    @Test
    void hunt_allEndpoints_windowApplied() {
        LongPredicate window = between("2026-11-19T06:00:00Z", "2026-11-20T06:00:00Z");
        assertEquals(expected("WS-A", window) + expected("WS-B", window),
                count("search", "--all", "--count", "--from", "2026-11-19T06:00:00Z", "--to", "2026-11-20T06:00:00Z"));
    }

    @Test
    void csv_onlyEventsInTheWindow() {
        Cli csv = run("search", "--all", "--format", "csv", "--from", "2026-11-20T00:00:00Z");
        assertEquals(0, csv.status(), csv.err());
        List<String> rows = csv.out().lines().skip(1).toList();
        assertEquals(expected("WS-A", t -> t >= Instant.parse("2026-11-20T00:00:00Z").toEpochMilli())
                + expected("WS-B", t -> t >= Instant.parse("2026-11-20T00:00:00Z").toEpochMilli()), rows.size(), csv.out());
        for (String row : rows) assertTrue(row.contains("2026-11-20T"), row);
    }

    @Test
    void last_endsAtTheNewestEventOfWhatIsSearched_notTheClock() {
        // WS-A's newest event is 2026-11-20T06:00:30Z: the window ends at 06:01:00Z, as the web's quick ranges
        assertEquals(expected("WS-A", between("2026-11-19T06:01:00Z", "2026-11-20T06:01:00Z")),
                count("search", "--endpoint", "WS-A", "--count", "--last", "24h"));
        // WS-B's own newest is 05:59: its last hour is [05:00, 06:00)
        assertEquals(1, count("search", "--endpoint", "WS-B", "--count", "--last", "1h"));
        LongPredicate lastHourOfAll = between("2026-11-20T05:01:00Z", "2026-11-20T06:01:00Z");
        assertEquals(expected("WS-A", lastHourOfAll) + expected("WS-B", lastHourOfAll), count("search", "--all", "--count", "--last", "1h"));
        assertEquals(2, expected("WS-A", lastHourOfAll) + expected("WS-B", lastHourOfAll));
    }

    @Test
    void distribution_window_totalOfTheWindow() {
        Cli d = run("distribution", "--endpoint", "WS-A", "--format", "json", "--from", "2026-11-19", "--to", "2026-11-19");
        assertEquals(0, d.status(), d.err());
        assertTrue(d.out().startsWith("{\"total\":" + expected("WS-A", between("2026-11-19T00:00:00Z", "2026-11-20T00:00:00Z")) + ","), d.out());
        Cli last = run("distribution", "--endpoint", "WS-A", "--last", "7d");
        assertEquals(0, last.status(), last.err());
        assertTrue(last.out().matches("(?s)TOTAL\\s+" + TIMES.get("WS-A").size() + "\\n.*"), last.out());
    }

    @Test
    void badValues_exit2NamingTheOptionAndTheValue() {
        Map<List<String>, String> cases = Map.of(
                List.of("--from", "yesterday"), "--from must be an ISO-8601 time with Z or an offset, like 2026-11-19T07:00:00Z, a date like 2026-11-19 (a whole UTC day), or epoch milliseconds; was 'yesterday'",
                List.of("--to", "2026-11-19T07:00"), "--to must be an ISO-8601 time with Z or an offset",
                List.of("--from", "2026-11-20", "--to", "2026-11-19"), "--from 2026-11-20 (2026-11-20T00:00:00.000Z, the start of that day) must be"
                        + " before --to 2026-11-19 (which ends at 2026-11-20T00:00:00.000Z: a date in --to includes that whole UTC day);"
                        + " give a --to on or after the --from date (--from 2026-11-20 --to 2026-11-20 is that one day)",
                List.of("--from", "2026-11-20T06:00:00Z", "--to", "1763539200000"), "--from 2026-11-20T06:00:00Z (2026-11-20T06:00:00.000Z)"
                        + " must be before --to 1763539200000 (2025-11-19T08:00:00.000Z); give a --to later than the --from",
                List.of("--last", "yesterday"), "--last must be a length of time such as 15m, 1h, 24h, 7d or 2w",
                List.of("--last", "0h"), "--last must be a length of time",
                List.of("--last", "1h", "--from", "2026-11-19"), "--last cannot be combined with --from or --to");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            for (String command : List.of("search", "distribution")) {
                List<String> args = new ArrayList<>(List.of(command, "--endpoint", "WS-A"));
                args.addAll(c.getKey());
                Cli cli = run(args.toArray(String[]::new));
                assertEquals(2, cli.status(), args + ": " + cli.out() + cli.err());
                assertTrue(cli.err().contains(c.getValue()), args + ": " + cli.err());
                assertEquals("", cli.out(), "nothing printed but the reason");
            }
        }
    }
}
