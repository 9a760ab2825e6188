package trailhound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.index.TestEvents.T0;
import static trailhound.index.TestEvents.event;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.schema.Event;
import trailhound.schema.Field;

class SuggestTest {
    @TempDir
    Path dir;

    private static final String[] DOMAINS = {"Evil.example", "evil.example.org", "eve.example", "good.example", "EVIL-cdn.example",
        "news.example", "evidence.example"};
    private static final String[] USERS = {"CORP\\Alice", "CORP\\Bob", "corp\\carol", "NT AUTHORITY\\SYSTEM"};

    /** Event i: dns query DOMAINS[i*i % 7], user USERS[i % 4] (every domain and user with its own frequency). */
    private static List<Event> events(int n, String source) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(event(source + "-" + i, T0 + i, "dns", "query", "p" + (i % 5))
                    .set(Field.DNS_QUERY, DOMAINS[(i * i) % DOMAINS.length])
                    .set(Field.USER, USERS[i % USERS.length])
                    .set(Field.REMOTE_PORT, 440 + i % 7)
                    .set(Field.SOURCE, source).build());
        }
        return out;
    }

    /** The answer computed from the events themselves: lower-cased values with the prefix, counted, most first, then by value. */
    private static List<TermCount> expected(List<Event> events, Field f, String prefix, int limit) {
        Map<String, Long> counts = new TreeMap<>();
        for (Event e : events) {
            String v = e.get(f);
            if (v != null && v.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT))) {
                counts.merge(v.toLowerCase(Locale.ROOT), 1L, Long::sum);
            }
        }
        return counts.entrySet().stream().map(e -> new TermCount(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingLong(TermCount::count).reversed().thenComparing(TermCount::term)).limit(limit).toList();
    }

    @Test
    void suggest_eventField_matchesAnIndependentCount_caseInsensitively() throws Exception {
        List<Event> events = events(300, "s1");
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.addAll(events);
            index.commit();
            for (String prefix : new String[] {"ev", "EVIL", "evil.", "e", "", "nothing-like-it"}) {
                for (int limit : new int[] {1, 2, 50}) {
                    assertEquals(expected(events, Field.DNS_QUERY, prefix, limit), index.suggest(Field.DNS_QUERY, prefix, limit),
                            "prefix '" + prefix + "', limit " + limit);
                }
            }
            assertEquals(expected(events, Field.REMOTE_PORT, "44", 50), index.suggest(Field.REMOTE_PORT, "44", 50), "numbers as text");
        }
    }

    @Test
    void suggest_processField_countsEventsNotProcessVariants() throws Exception {
        List<Event> events = events(200, "s1");
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.addAll(events);
            index.commit();
            assertEquals(expected(events, Field.USER, "corp\\", 50), index.suggest(Field.USER, "CORP\\", 50));
            assertEquals(50, index.suggest(Field.USER, "corp\\a", 5).getFirst().count());
        }
    }

    @Test
    void suggest_leavesOutValuesOfRemovedEvents() throws Exception {
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.addAll(events(50, "keep"));
            index.add(event("gone-1", T0, "dns", "query", "px").set(Field.DNS_QUERY, "evanescent.example").set(Field.SOURCE, "gone").build());
            index.commit();
            assertEquals(List.of(new TermCount("evanescent.example", 1)), index.suggest(Field.DNS_QUERY, "evan", 10));
            index.deleteSource("gone");
            assertEquals(List.of(), index.suggest(Field.DNS_QUERY, "evan", 10));
        }
    }

    @Test
    void suggest_neverOffersTheHashedTermOfAVeryLongValue() throws Exception {
        String longLine = "powershell.exe " + "A".repeat(5_000);
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.add(event("e1", T0, "process", "start", "p1").set(Field.COMMAND_LINE, longLine).build());
            index.add(event("e2", T0 + 1, "process", "start", "p2").set(Field.COMMAND_LINE, "powershell.exe -nop").build());
            index.commit();
            assertEquals(List.of(new TermCount("powershell.exe -nop", 1)), index.suggest(Field.COMMAND_LINE, "power", 10));
        }
    }

    @Test
    void suggest_refusesWhatWouldBeUnbounded() throws Exception {
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.addAll(events(10, "s1"));
            index.commit();
            assertThrows(IllegalArgumentException.class, () -> index.suggest(Field.TS, "2026", 10));
            assertThrows(IllegalArgumentException.class, () -> index.suggest(Field.DNS_QUERY, "e", 0));
            assertThrows(IllegalArgumentException.class, () -> index.suggest(Field.DNS_QUERY, "e", EventIndex.MAX_SUGGESTIONS + 1));
            assertThrows(IllegalArgumentException.class,
                    () -> index.suggest(Field.DNS_QUERY, "e".repeat(EventIndex.MAX_SUGGEST_PREFIX + 1), 10));
            assertTrue(index.suggest(Field.DNS_QUERY, ".*", 10).isEmpty(), "a prefix is a prefix: no regex");
        }
    }
}
