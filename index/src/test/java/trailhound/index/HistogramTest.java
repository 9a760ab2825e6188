package trailhound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.index.TestEvents.event;
import static trailhound.index.TestEvents.term;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.schema.Event;
import trailhound.schema.Field;

/** Histogram counts checked against the events' times counted independently, per bucket. */
class HistogramTest {
    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    /** 2026-11-19T00:00:00Z, a multiple of every ladder size up to a day. */
    private static final long T = 1_795_046_400_000L;

    @TempDir
    Path dir;

    @Test
    void bucketMillis_smallestLadderSizeWithAtMost120AlignedBuckets() {
        assertEquals(SECOND, Histogram.bucketMillis(T, T + 1));
        assertEquals(SECOND, Histogram.bucketMillis(T, T + 120 * SECOND));
        assertEquals(5 * SECOND, Histogram.bucketMillis(T, T + 120 * SECOND + 1));
        assertEquals(5 * SECOND, Histogram.bucketMillis(T + 1, T + 120 * SECOND + 1)); // misaligned: 121 one-second buckets
        assertEquals(MINUTE, Histogram.bucketMillis(T, T + 2 * HOUR));
        assertEquals(30 * MINUTE, Histogram.bucketMillis(T, T + 2 * DAY));
        assertEquals(3 * HOUR, Histogram.bucketMillis(T, T + 14 * DAY));
        assertEquals(DAY, Histogram.bucketMillis(T, T + 120 * DAY));
        assertEquals(7 * DAY, Histogram.bucketMillis(T, T + 121 * DAY));
        assertEquals(30 * DAY, Histogram.bucketMillis(T, T + 1000 * DAY));
        assertEquals(60 * DAY, Histogram.bucketMillis(0, 18L * 365 * DAY)); // past the ladder: doubles of 30 days
        assertEquals(SECOND, Histogram.bucketMillis(-1500, -500)); // before 1970: aligned by floor, not truncation
        assertThrows(IllegalArgumentException.class, () -> Histogram.bucketMillis(T, T));
    }

    @Test
    void histogram_window_bucketsAlignedToUtcAndCountsOnlyTheWindow() throws IOException {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) events.add(event("e" + i, T + i * 30 * SECOND + 7, i % 3 == 0 ? "file" : "network", "x", "p").build());
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.addAll(events);
            index.commit();
            long from = T + 10 * MINUTE + 123; // mid-bucket on both sides
            long to = T + 70 * MINUTE + 456;
            for (Query q : new Query[] {null, term(Field.TYPE, "file")}) {
                Histogram h = index.histogram(q, from, to);
                assertEquals(from, h.from());
                assertEquals(to, h.to());
                assertEquals(MINUTE, h.bucketMillis());
                assertEquals(T + 10 * MINUTE, h.buckets().getFirst().start(), "aligned down to the minute");
                assertEquals(T + 71 * MINUTE, h.buckets().getLast().end());
                assertEquals(61, h.buckets().size());
                expect(events, q == null ? e -> true : HistogramTest::isFile, from, to, h);
            }
        }
    }

    @Test
    void histogram_openEdges_areTheMatchingEventsOwn() throws IOException {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 60; i++) events.add(event("a" + i, T + i * HOUR, "file", "x", "p").build());
        events.add(event("late", T + 3 * DAY + 5 * HOUR + 17, "dns", "query", "p").build());
        events.add(event("early", T + 2 * DAY + 3, "dns", "query", "p").build());
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.addAll(events);
            index.commit();
            Histogram all = index.histogram(null, null, null);
            assertEquals(T, all.from());
            assertEquals(T + 3 * DAY + 5 * HOUR + 18, all.to());
            assertEquals(HOUR, all.bucketMillis()); // 78 hourly buckets
            expect(events, e -> true, all.from(), all.to(), all);
            assertEquals(all, index.histogram(new MatchAllDocsQuery(), null, null));

            Histogram dns = index.histogram(term(Field.TYPE, "dns"), null, null);
            assertEquals(T + 2 * DAY + 3, dns.from());
            assertEquals(T + 3 * DAY + 5 * HOUR + 18, dns.to());
            assertEquals(30 * MINUTE, dns.bucketMillis());
            assertEquals(2, dns.total());
            assertEquals(1, dns.buckets().getFirst().count());
            assertEquals(1, dns.buckets().getLast().count());

            Histogram fromOnly = index.histogram(term(Field.TYPE, "file"), T + 50 * HOUR, null);
            assertEquals(T + 59 * HOUR + 1, fromOnly.to());
            expect(events, HistogramTest::isFile, T + 50 * HOUR, T + 59 * HOUR + 1, fromOnly);
            Histogram toOnly = index.histogram(null, null, T + 10 * HOUR);
            assertEquals(T, toOnly.from());
            assertEquals(10, toOnly.total());
        }
    }

    @Test
    void histogram_nothingMatches_emptyOrZeroBuckets() throws IOException {
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            Histogram none = index.histogram(null, null, null);
            assertNull(none.from());
            assertNull(none.to());
            assertEquals(0, none.total());
            assertTrue(none.buckets().isEmpty());
            index.add(event("e1", T, "file", "x", "p").build());
            index.commit();
            Histogram noMatch = index.histogram(term(Field.TYPE, "dns"), T - HOUR, null);
            assertEquals(T - HOUR, noMatch.from());
            assertNull(noMatch.to());
            assertTrue(noMatch.buckets().isEmpty());
            Histogram zeros = index.histogram(term(Field.TYPE, "dns"), T, T + MINUTE);
            assertEquals(60, zeros.buckets().size());
            assertEquals(0, zeros.total());
            assertTrue(index.histogram(null, T + 1, null).buckets().isEmpty(), "nothing after the newest event");
            assertThrows(IllegalArgumentException.class, () -> index.histogram(null, T, T));
        }
    }

    /** Random times over ranges from seconds to years, several segments, some deleted: every path against a plain count. */
    @Test
    void histogram_randomTimes_equalIndependentCountsOnEveryPath() throws IOException {
        SplittableRandom rnd = new SplittableRandom(42);
        long[] spans = {90 * SECOND, 7 * HOUR, 40 * DAY, 500 * DAY, 30L * 365 * DAY};
        for (long span : spans) {
            Path d = dir.resolve("span" + span);
            List<Event> events = new ArrayList<>();
            try (EndpointIndex index = EndpointIndex.open(d)) {
                for (int i = 0; i < 3000; i++) {
                    // out of time order, as snapshots of other periods arrive later
                    long t = T - span / 2 + rnd.nextLong(span);
                    Event e = event("e" + i, t, i % 4 == 0 ? "dns" : "file", "x", "p").build();
                    events.add(e);
                    index.add(e);
                    if (i % 1000 == 999) index.commit(); // several segments
                }
                Histogram all = index.histogram(null, null, null);
                expect(events, e -> true, all.from(), all.to(), all);
                assertTrue(Histogram.bucketCount(all.from(), all.to(), all.bucketMillis()) <= Histogram.MAX_BUCKETS);
                Query dnsQuery = term(Field.TYPE, "dns");
                Histogram dns = index.histogram(dnsQuery, null, null);
                expect(events, HistogramTest::isDns, dns.from(), dns.to(), dns);
                long from = T - span / 3;
                long to = T + span / 5;
                expect(events, e -> true, from, to, index.histogram(null, from, to));
                expect(events, HistogramTest::isDns, from, to, index.histogram(dnsQuery, from, to));
                expect(events, HistogramTest::isDns, from, dns.to(), index.histogram(dnsQuery, from, null));
                assertEquals(index.count(dnsQuery), dns.total());
            }
        }
    }

    /** Collectors of several slices, each adapting its own unit, merge into the counts of one. */
    @Test
    void adaptive_merge_equalsOneCollectorOverAllValues() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (long span : new long[] {5 * SECOND, 3 * HOUR, 200 * DAY}) {
            HistogramCounter.Adaptive one = new HistogramCounter.Adaptive();
            HistogramCounter.Adaptive[] parts = {new HistogramCounter.Adaptive(), new HistogramCounter.Adaptive(),
                    new HistogramCounter.Adaptive()};
            for (int i = 0; i < 5000; i++) {
                // the parts see different spreads, so they end at different units
                int part = i % 3;
                long t = T + rnd.nextLong(span >> (2 * part));
                one.value(t);
                parts[part].value(t);
            }
            HistogramCounter.Adaptive merged = new HistogramCounter.Adaptive();
            for (HistogramCounter.Adaptive p : parts) merged.merge(p);
            assertEquals(one.min, merged.min);
            assertEquals(one.max, merged.max);
            long size = Histogram.bucketMillis(one.min, one.max + 1);
            long first = Histogram.alignDown(one.min, size);
            int n = (int) Histogram.bucketCount(one.min, one.max + 1, size);
            long[] expected = new long[n];
            long[] actual = new long[n];
            one.mergeInto(first, size, expected);
            merged.mergeInto(first, size, actual);
            assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(actual));
            assertEquals(5000, java.util.Arrays.stream(actual).sum());
        }
    }

    @Test
    void histogram_afterDeletions_countsOnlyLiveEvents() throws IOException {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 500; i++) events.add(event("e" + i, T + i * SECOND, "file", "x", "p").build());
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.addAll(events);
            index.commit();
            assertEquals(100, index.deleteOlderThan(T + 100 * SECOND));
            List<Event> kept = events.subList(100, 500);
            Histogram all = index.histogram(null, null, null);
            assertEquals(T + 100 * SECOND, all.from(), "the oldest live event, not the deleted one still in the points");
            expect(kept, e -> true, all.from(), all.to(), all);
            expect(kept, e -> true, T, T + 1000 * SECOND, index.histogram(null, T, T + 1000 * SECOND));
        }
    }

    private static boolean isDns(Event e) {
        return "dns".equals(e.get(Field.TYPE));
    }

    private static boolean isFile(Event e) {
        return "file".equals(e.get(Field.TYPE));
    }

    /** Each bucket holds exactly the events of {@code matches} in it and in [from, to); the buckets are contiguous. */
    private static void expect(List<Event> events, Predicate<Event> matches, long from, long to, Histogram h) {
        assertEquals(from, h.from());
        assertEquals(to, h.to());
        long size = h.bucketMillis();
        assertEquals(Histogram.bucketMillis(from, to), size);
        assertEquals(Math.floorDiv(from, size) * size, h.buckets().getFirst().start());
        long total = 0;
        long next = h.buckets().getFirst().start();
        for (Histogram.Bucket b : h.buckets()) {
            assertEquals(next, b.start());
            assertEquals(b.start() + size, b.end());
            next = b.end();
            long expected = events.stream().filter(matches)
                    .filter(e -> e.ts() >= b.start() && e.ts() < b.end() && e.ts() >= from && e.ts() < to).count();
            assertEquals(expected, b.count(), "bucket at " + b.start());
            total += expected;
        }
        assertTrue(next >= to);
        assertEquals(total, h.total());
        assertEquals(events.stream().filter(matches).filter(e -> e.ts() >= from && e.ts() < to).count(), total);
    }
}
