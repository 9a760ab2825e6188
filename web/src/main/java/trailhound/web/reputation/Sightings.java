package trailhound.web.reputation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.Query;
import trailhound.access.AuditLog;
import trailhound.access.Scope;
import trailhound.index.Histogram;
import trailhound.index.HuntResult;
import trailhound.index.IndexBackend;
import trailhound.index.ProcessMatches;
import trailhound.index.UnknownEndpointException;
import trailhound.query.QueryLanguage;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.web.Format;

/*
 * Where a hash was seen, as one caller may see it: a hunt for hash:<h> through the access layer
 * (Scope.hunt), so endpoints outside the caller's groups are never searched, then per endpoint (at
 * most MAX_ENDPOINTS, most events first) its first and last event time from the index's histogram
 * edges, and its processes with the hash from one pass of doc values (EventIndex.processesMatching:
 * exact counts and times, no event read; one small search per listed process for its image path).
 * A hash on every machine (a system DLL) can be in millions of events and every process: the lists
 * stay short, say when they are cut ("complete": false) and link to the Hunt page, which pages
 * through every event.
 */

/**
 * Where a hash was seen: the events with it ({@code total}, on {@code endpointCount} endpoints the
 * caller may see, in {@code processCount} processes of the endpoints listed), up to
 * {@value #MAX_ENDPOINTS} endpoints (most events first) with their first and last time (UTC ms), up
 * to {@value #MAX_PROCESSES} processes (newest last sighting first) and
 * whether those lists hold everything ({@code complete}); {@code huntUrl} opens the Hunt page on the
 * hash.
 */
public record Sightings(long total, int endpointCount, long processCount, List<EndpointSighting> endpoints,
        List<ProcessSighting> processes, boolean complete, String huntUrl) {
    /** The most endpoints listed. */
    public static final int MAX_ENDPOINTS = 50;
    /** The most processes listed. */
    public static final int MAX_PROCESSES = 100;

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
     * event said), its events with the hash and their first and last time (UTC ms), its process page.
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
        List<Map.Entry<String, ProcessMatches.Match>> matches = new ArrayList<>();
        long processCount = 0;
        for (Map.Entry<String, Long> e : byCount.subList(0, Math.min(MAX_ENDPOINTS, byCount.size()))) {
            String endpoint = e.getKey();
            try (IndexBackend.Lease lease = access.index(endpoint)) {
                Histogram edges = lease.index().histogram(query, null, null);
                if (edges.from() == null) continue; // its last event with the hash went since the hunt
                endpoints.add(new EndpointSighting(endpoint, e.getValue(), edges.from(), edges.to() - 1,
                        "/endpoints/" + Format.segment(endpoint) + "/events?q=" + Format.url(text)));
                ProcessMatches processes = lease.index().processesMatching(query, MAX_PROCESSES);
                processCount += processes.total();
                processes.newest().forEach(m -> matches.add(Map.entry(endpoint, m)));
            } catch (UnknownEndpointException gone) {
                // removed, or taken out of the caller's groups, since the hunt: not seen there any more
            }
        }
        matches.sort(Comparator.comparingLong((Map.Entry<String, ProcessMatches.Match> m) -> m.getValue().lastTs()).reversed()
                .thenComparing(Map.Entry::getKey).thenComparing(m -> m.getValue().processKey()));
        List<Map.Entry<String, ProcessMatches.Match>> kept = matches.subList(0, Math.min(MAX_PROCESSES, matches.size()));
        boolean complete = byCount.size() <= MAX_ENDPOINTS && processCount <= kept.size();
        return new Sightings(found.total(), byCount.size(), processCount, endpoints, withPaths(access, text, kept), complete,
                "/hunt?q=" + Format.url(text));
    }

    /**
     * The listed processes with their image path (process_path of their newest event with the hash:
     * one small search each, per endpoint under one lease), in the order given.
     */
    private static List<ProcessSighting> withPaths(Scope access, String hashText, List<Map.Entry<String, ProcessMatches.Match>> kept)
            throws IOException {
        Map<String, String> paths = new java.util.HashMap<>(); // endpoint + '\n' + key -> path
        Map<String, List<String>> keysByEndpoint = new java.util.TreeMap<>();
        kept.forEach(m -> keysByEndpoint.computeIfAbsent(m.getKey(), k -> new ArrayList<>()).add(m.getValue().processKey()));
        for (Map.Entry<String, List<String>> e : keysByEndpoint.entrySet()) {
            try (IndexBackend.Lease lease = access.index(e.getKey())) {
                for (String key : e.getValue()) {
                    String quoted = "\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
                    List<Event> one = lease.index().search(QueryLanguage.parse(hashText + " AND process_key:" + quoted), 1, null).events();
                    if (!one.isEmpty() && one.getFirst().get(Field.PROCESS_PATH) != null) {
                        paths.put(e.getKey() + "\n" + key, one.getFirst().get(Field.PROCESS_PATH));
                    }
                }
            } catch (UnknownEndpointException gone) {
                // went since the first pass: its processes keep no path
            }
        }
        return kept.stream().map(m -> {
            String endpoint = m.getKey();
            ProcessMatches.Match p = m.getValue();
            return new ProcessSighting(endpoint, p.processKey(), paths.get(endpoint + "\n" + p.processKey()), p.events(),
                    p.firstTs(), p.lastTs(), "/endpoints/" + Format.segment(endpoint) + "/process/" + Format.segment(p.processKey()));
        }).toList();
    }
}
