package trailhound.web.reputation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.Query;
import trailhound.access.AuditLog;
import trailhound.access.Scope;
import trailhound.index.EventPage;
import trailhound.index.Histogram;
import trailhound.index.HuntResult;
import trailhound.index.IndexBackend;
import trailhound.index.PageCursor;
import trailhound.index.UnknownEndpointException;
import trailhound.query.QueryLanguage;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.web.Format;

/*
 * Where a hash was seen, as one caller may see it: a hunt for hash:<h> through the access layer
 * (Scope.hunt), so endpoints outside the caller's groups are never searched, then per endpoint (at
 * most MAX_ENDPOINTS, most events first) its first and last event time from the index's histogram
 * edges, and the processes of its newest SCAN_PER_ENDPOINT events with the hash. A hash on every
 * machine (a system DLL) could have millions of events: the report stays a summary, says when it is
 * one ("complete": false) and links to the Hunt page, which pages through all of them.
 */

/**
 * Where a hash was seen: the events with it ({@code total}, on {@code endpointCount} endpoints the
 * caller may see), up to {@value #MAX_ENDPOINTS} endpoints (most events first) with their first and
 * last time (UTC ms), up to {@value #MAX_PROCESSES} processes (newest last sighting first) and
 * whether those lists hold everything ({@code complete}); {@code huntUrl} opens the Hunt page on the
 * hash.
 */
public record Sightings(long total, int endpointCount, List<EndpointSighting> endpoints, List<ProcessSighting> processes,
        boolean complete, String huntUrl) {
    /** The most endpoints listed. */
    public static final int MAX_ENDPOINTS = 50;
    /** The most processes listed. */
    public static final int MAX_PROCESSES = 100;
    /** The newest events with the hash read per endpoint to find its processes. */
    static final int SCAN_PER_ENDPOINT = 2_000;

    public Sightings {
        endpoints = List.copyOf(endpoints);
        processes = List.copyOf(processes);
    }

    /** One endpoint: its events with the hash, the first and last one's time (UTC ms), its events grid on the hash. */
    public record EndpointSighting(String endpoint, long events, long firstSeen, long lastSeen, String eventsUrl) {
        public String first() {
            return Format.utc(firstSeen);
        }

        public String last() {
            return Format.utc(lastSeen);
        }
    }

    /**
     * One process instance with events carrying the hash: its endpoint, key, image path (null when no
     * event said), the events read and their first and last time (UTC ms), its process page.
     */
    public record ProcessSighting(String endpoint, String processKey, String imagePath, long events, long firstSeen,
            long lastSeen, String processUrl) {
        public String first() {
            return Format.utc(firstSeen);
        }

        public String last() {
            return Format.utc(lastSeen);
        }
    }

    /**
     * Where the caller may see the lower-case hex {@code hash}, audited once as {@code reputation}.
     *
     * @throws IOException when an index cannot be read
     */
    static Sightings of(Scope access, String hash) throws IOException {
        String text = "hash:" + hash;
        Query query = QueryLanguage.parse(text);
        access.audit("reputation", null, AuditLog.OK, "where seen: " + hash);
        HuntResult found = access.hunt(query, 1, null);
        List<Map.Entry<String, Long>> byCount = found.counts().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .toList();
        List<EndpointSighting> endpoints = new ArrayList<>();
        List<ProcessSighting> processes = new ArrayList<>();
        boolean complete = byCount.size() <= MAX_ENDPOINTS;
        for (Map.Entry<String, Long> e : byCount.subList(0, Math.min(MAX_ENDPOINTS, byCount.size()))) {
            String endpoint = e.getKey();
            try (IndexBackend.Lease lease = access.index(endpoint)) {
                Histogram edges = lease.index().histogram(query, null, null);
                if (edges.from() == null) continue; // its last event with the hash went since the hunt
                endpoints.add(new EndpointSighting(endpoint, e.getValue(), edges.from(), edges.to() - 1,
                        "/endpoints/" + Format.segment(endpoint) + "/events?q=" + Format.url(text)));
                complete &= processes(lease, query, endpoint, processes);
            } catch (UnknownEndpointException gone) {
                // removed, or taken out of the caller's groups, since the hunt: not seen there any more
            }
        }
        processes.sort(Comparator.comparingLong(ProcessSighting::lastSeen).reversed()
                .thenComparing(ProcessSighting::endpoint).thenComparing(ProcessSighting::processKey));
        if (processes.size() > MAX_PROCESSES) {
            processes = processes.subList(0, MAX_PROCESSES);
            complete = false;
        }
        return new Sightings(found.total(), byCount.size(), endpoints, processes, complete, "/hunt?q=" + Format.url(text));
    }

    /** Adds the processes of the endpoint's newest events with the hash; false when there were more events to read. */
    private static boolean processes(IndexBackend.Lease lease, Query query, String endpoint, List<ProcessSighting> out)
            throws IOException {
        Map<String, ProcessSighting> byKey = new LinkedHashMap<>();
        PageCursor after = null;
        int read = 0;
        do {
            EventPage page = lease.index().search(query, Math.min(500, SCAN_PER_ENDPOINT - read), after);
            for (Event ev : page.events()) {
                String key = ev.get(Field.PROCESS_KEY);
                if (key == null) continue; // e.g. a file event no process was recorded for
                String path = ev.get(Field.PROCESS_PATH);
                byKey.merge(key, new ProcessSighting(endpoint, key, path, 1, ev.ts(), ev.ts(),
                        "/endpoints/" + Format.segment(endpoint) + "/process/" + Format.segment(key)), Sightings::merge);
            }
            read += page.events().size();
            after = page.next();
        } while (after != null && read < SCAN_PER_ENDPOINT);
        out.addAll(byKey.values());
        return after == null;
    }

    private static ProcessSighting merge(ProcessSighting a, ProcessSighting b) {
        return new ProcessSighting(a.endpoint(), a.processKey(), a.imagePath() != null ? a.imagePath() : b.imagePath(),
                a.events() + b.events(), Math.min(a.firstSeen(), b.firstSeen()), Math.max(a.lastSeen(), b.lastSeen()),
                a.processUrl());
    }
}
