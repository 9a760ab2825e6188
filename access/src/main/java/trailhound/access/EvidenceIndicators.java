package trailhound.access;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.search.MatchAllDocsQuery;
import trailhound.query.IocTree;
import trailhound.query.QueryLanguage;

/*
 * Try-out: 100 saved powershell events made an IOC OR-ing ntdll.dll, CDN addresses and more, which
 * matched 56,026 events. An indicator is worth having only if it tells the evidence apart from what
 * every endpoint does, so each candidate is counted over the endpoints the caller may see (the count
 * a Scan would give) before it is offered. One is "common" (shown, never ticked by default) when it is
 * a well-known system path, or when, outside the evidence's own processes (a busy malicious process
 * must not make its own hash common), it matches more than COMMON_SHARE of the events (and at least
 * COMMON_MIN, so that a small data set does not make everything common) or occurs on more than half of
 * the endpoints of the evidence's operating system (at least two of them): github.com or the domain
 * controller's address are on every workstation, a C2 address is not. A process whose every default is common
 * (a LOLBin: the system's own powershell.exe) is told apart by its command line instead.
 */

/**
 * The indicators saved evidence items offer, grouped (one per distinct type and value, with how many
 * of the items' events carry it), each counted over the endpoints the caller may see, and which of
 * them a new IOC takes by default. Built by {@link Intel#offers}. Not thread-safe.
 */
public final class EvidenceIndicators {
    /** The share of the endpoints' events above which a value is too common to be an indicator. */
    public static final double COMMON_SHARE = 0.01;
    /** The fewest matches a common value has, whatever the share (a small data set is not all common). */
    public static final long COMMON_MIN = 20;

    /**
     * One distinct indicator: the candidate (from the first event carrying it), how many of the
     * items' events carry it, how many events it matches over the endpoints the caller may see (-1: not
     * counted), whether it is common (a system path; or, outside the evidence's own processes, more than
     * {@link #COMMON_SHARE} of their events and at least {@link #COMMON_MIN}, or on more than half of the
     * endpoints of the evidence's operating system), whether a new IOC takes it by default, and whether
     * it would have been a default but one IOC holds no more ({@link Intel#maxSearches}): offered unticked.
     */
    public record Offer(Candidates.Candidate candidate, int carriers, long matches, boolean common, boolean byDefault, boolean overLimit) {
        public Offer(Candidates.Candidate candidate, int carriers, long matches, boolean common, boolean byDefault) {
            this(candidate, carriers, matches, common, byDefault, false);
        }
    }

    /**
     * The offers, defaults first, then the others (common ones last); {@code events} the number of
     * events of the endpoints the caller may see (the base of {@link #COMMON_SHARE}).
     */
    public record Offers(List<Offer> offers, long events) {
        /** How many offers would have been defaults but one IOC holds no more ({@link Offer#overLimit}). */
        public long overLimit() {
            return offers.stream().filter(Offer::overLimit).count();
        }

        /** The items a new IOC takes by default, in order. */
        public List<IocTree.Item> defaults() {
            return offers.stream().filter(Offer::byDefault).map(o -> o.candidate().item()).toList();
        }

        /** The counted common offers (the defaults left out), as "C:\Windows\System32\ntdll.dll (matches 12,345 events)", for a refusal. */
        public List<String> commonDefaults() {
            return offers.stream().filter(o -> o.common() && o.matches() >= 0)
                    .map(o -> o.candidate().value() + String.format(java.util.Locale.ROOT, " (%smatches %,d events)",
                            o.candidate().system() ? o.candidate().systemLabel() + "; " : "", o.matches())).limit(5).toList();
        }
    }

    /** The most process keys left out of a count "elsewhere" (each a clause of the query). */
    private static final int MAX_OWN_PROCESSES = 500;

    private final Scope scope;
    private final long events;
    private final String notOwn;
    private final Map<String, Long> counted = new LinkedHashMap<>();
    private final Map<String, Boolean> common = new LinkedHashMap<>();

    /** The endpoints the caller may see of the evidence's operating systems: "most endpoints" is most of these. */
    private final Set<String> peers = new java.util.HashSet<>();

    private EvidenceIndicators(Scope scope, Set<String> ownProcesses, Set<String> evidenceEndpoints) throws IOException {
        this.scope = scope;
        this.events = scope.hunt(new MatchAllDocsQuery(), 1, null).total();
        List<trailhound.store.EndpointInfo> visible = scope.endpoints();
        Set<String> systems = new java.util.HashSet<>();
        for (var e : visible) if (evidenceEndpoints.contains(e.name())) systems.add(String.valueOf(e.os()).toLowerCase(java.util.Locale.ROOT));
        for (var e : visible) {
            if (systems.isEmpty() || systems.contains(String.valueOf(e.os()).toLowerCase(java.util.Locale.ROOT))) peers.add(e.name());
        }
        this.notOwn = ownProcesses.isEmpty() || ownProcesses.size() > MAX_OWN_PROCESSES ? ""
                : " AND NOT (" + String.join(" OR ", ownProcesses.stream().map(k -> "process_key:" + quoted(k)).toList()) + ")";
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * The offers of these items' events (each list one item's), counting every distinct candidate when
     * {@code countAll} (for the picker: at most {@code maxCounted}, the rest -1), else only the defaults
     * and the fallbacks. A process event's defaults are those of {@code process} ({@link Candidates#DEFAULT_PROCESS} unless asked).
     */
    static Offers of(Scope scope, List<List<Map<String, String>>> items, Set<String> endpoints, Set<Candidates.ProcessPart> process,
            boolean countAll, int maxCounted) throws IOException {
        Set<String> own = new LinkedHashSet<>();
        for (List<Map<String, String>> events : items) {
            for (Map<String, String> e : events) if (e.get("process_key") != null) own.add(e.get("process_key"));
        }
        EvidenceIndicators counter = new EvidenceIndicators(scope, own, endpoints);
        Map<String, Candidates.Candidate> all = new LinkedHashMap<>();
        Map<String, Integer> carriers = new LinkedHashMap<>();
        Set<String> chosen = new LinkedHashSet<>();
        Set<String> overLimit = new LinkedHashSet<>();
        // try-out: 10,000 saved events gave 2,798 defaults, each counted (20 s), and an IOC Lucene could not run: the defaults
        // stop at what one IOC holds, and the rest (not counted) are offered unticked
        int max = Intel.maxSearches();
        Room room = new Room(max);
        for (List<Map<String, String>> events : items) {
            Set<String> mine = new LinkedHashSet<>();
            // each process event's image defaults and its command line: the line is a default when the image is common
            List<Map.Entry<List<String>, String>> lines = new ArrayList<>();
            for (Map<String, String> e : events) {
                for (Candidates.Candidate c : Candidates.of(e)) {
                    all.putIfAbsent(c.key(), c);
                    carriers.merge(c.key(), 1, Integer::sum);
                }
                List<String> image = Candidates.defaults(e, process).stream().map(Candidates.Candidate::key).toList();
                mine.addAll(image);
                if ("process".equals(e.get("type"))) Candidates.commandLine(e).ifPresent(c -> lines.add(Map.entry(image, c.key())));
            }
            // counted one by one until the IOC is full: a 10,000-event item must not make thousands of searches first
            for (String k : mine) {
                if (chosen.contains(k) || overLimit.contains(k)) continue;
                if (room.full() || !overLimit.isEmpty()) {
                    if (!all.get(k).system()) overLimit.add(k); // not counted: offered unticked, after the defaults
                } else if (!counter.common(all.get(k))) {
                    (room.take(all.get(k).item()) ? chosen : overLimit).add(k);
                }
            }
            // README: a process's command line is ticked when its image is common (a LOLBin: the system's own
            // powershell.exe, rundll32.exe): what it was asked to do tells it apart (fourth try-out: an event item left it out)
            for (Map.Entry<List<String>, String> line : lines) {
                String k = line.getValue();
                if (chosen.contains(k) || overLimit.contains(k) || !overLimit.isEmpty() || room.full()) continue;
                if (line.getKey().stream().allMatch(d -> !overLimit.contains(d) && counter.common(all.get(d)))
                        && !counter.common(all.get(k))) {
                    (room.take(all.get(k).item()) ? chosen : overLimit).add(k);
                }
            }
        }
        List<Offer> offers = new ArrayList<>();
        int counting = 0;
        for (Candidates.Candidate c : all.values()) {
            boolean count = counter.counted.containsKey(c.key()) || countAll && counting < maxCounted;
            if (count && !counter.counted.containsKey(c.key())) counting++;
            long matches = count ? counter.matches(c) : -1;
            boolean common = count ? counter.common(c) : c.system();
            offers.add(new Offer(c, carriers.get(c.key()), matches, common, chosen.contains(c.key()), overLimit.contains(c.key())));
        }
        offers.sort(java.util.Comparator.comparingInt((Offer o) -> o.byDefault() ? 0 : o.overLimit() ? 1 : o.common() ? 3 : 2));
        return new Offers(List.copyOf(offers), counter.events);
    }

    /** What one IOC still holds: searches (at most {@code max}) and query length; taking an item uses some. */
    private static final class Room {
        private final int max;
        private int searches;
        private int length = 2;

        Room(int max) {
            this.max = max;
        }

        boolean full() {
            return searches >= max;
        }

        /** Whether {@code item} fits; when it does, the room it takes is used. */
        boolean take(IocTree.Item item) {
            int cost = Intel.searches(item);
            int more = item.toQuery().length() + 4; // " OR "
            if (searches + cost > max || length + more > QueryLanguage.MAX_LENGTH) return false;
            searches += cost;
            length += more;
            return true;
        }
    }

    /**
     * Whether the candidate is common: a system path, or one matching too many events outside the
     * evidence's own processes (its matches counted once, and shown).
     */
    private boolean common(Candidates.Candidate c) {
        Boolean known = common.get(c.key());
        if (known != null) return known;
        try {
            boolean is = c.system();
            if (!is) {
                matches(c);
                if (isCommon(counted.get(c.key()), spread.get(c.key()))) { // it might be: are the matches the evidence's own?
                    trailhound.index.HuntResult elsewhere = notOwn.isEmpty() ? null
                            : scope.hunt(QueryLanguage.parse("(" + c.item().toQuery() + ")" + notOwn), 1, null);
                    is = elsewhere == null || isCommon(elsewhere.total(), spread(elsewhere.counts()));
                }
            }
            common.put(c.key(), is);
            return is;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private boolean isCommon(long matches, int endpoints) {
        return matches >= COMMON_MIN && matches > events * COMMON_SHARE || peers.size() >= 2 && endpoints * 2 > peers.size();
    }

    /** On how many of {@link #peers} the counts have matches. */
    private int spread(Map<String, Long> counts) {
        return (int) counts.entrySet().stream().filter(e -> e.getValue() > 0 && peers.contains(e.getKey())).count();
    }

    private final Map<String, Integer> spread = new LinkedHashMap<>();

    /** The events the candidate's item matches over the endpoints the caller may see, as its Scan would count them. */
    private long matches(Candidates.Candidate c) throws IOException {
        Long n = counted.get(c.key());
        if (n == null) {
            trailhound.index.HuntResult found = scope.hunt(QueryLanguage.parse(c.item().toQuery()), 1, null);
            n = found.total();
            counted.put(c.key(), n);
            spread.put(c.key(), spread(found.counts()));
        }
        return n;
    }
}
