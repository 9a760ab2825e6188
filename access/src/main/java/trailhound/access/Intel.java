package trailhound.access;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import trailhound.index.HuntHit;
import trailhound.index.HuntResult;
import trailhound.query.IocTree;
import trailhound.query.QueryLanguage;
import trailhound.store.EvidenceItems;
import trailhound.store.Iocs.Ioc;

/**
 * IOCs as one caller may see and use them. IOCs are shared intel: every user may list, read and export
 * those typed, posted or imported; one made from saved evidence holds its endpoints' paths and command
 * lines, so only users who see every endpoint its evidence came from see it (for anyone else it does
 * not exist: 404). Making, importing and scanning need the analyst role ({@link Action#INVESTIGATE});
 * changing the alert switch and removing are its author's or an administrator's (anyone else: 403,
 * audited as {@code access.denied}). A scan is a hunt over exactly the endpoints the
 * caller may see ({@link Scope#hunt}). Audited: {@code ioc.create}, {@code ioc.alert},
 * {@code ioc.remove}, {@code ioc.scan}. Not thread-safe: one per request, as its scope.
 */
public final class Intel {
    /** The longest IOC name, in characters. */
    public static final int MAX_NAME = 200;
    /** The newest matches a scan lists (the counts per endpoint are exact). */
    public static final int SCAN_LIMIT = 1_000;

    /** What a scan found: exact counts per endpoint, the newest {@link #SCAN_LIMIT} matches, and the query it ran. */
    public record Scan(Ioc ioc, String query, Map<String, Long> counts, List<HuntHit> hits, long total) {}

    private final Scope scope;
    private final trailhound.ingest.DataDir data;
    private final Alerts alerts;
    private final Clock clock;

    Intel(Scope scope, trailhound.ingest.DataDir data, Alerts alerts, Clock clock) {
        this.scope = scope;
        this.data = data;
        this.alerts = alerts;
        this.clock = clock;
    }

    /** Every IOC, newest first. */
    public List<Ioc> list() {
        return data.store().iocs().list().stream().filter(this::readable).toList();
    }

    /** The IOC, or empty when there is none or the caller may not see it. */
    public Optional<Ioc> find(long id) {
        return data.store().iocs().find(id).filter(this::readable);
    }

    private boolean readable(Ioc ioc) {
        return ioc.endpoints().stream().allMatch(scope::sees);
    }

    /** The IOC's tree. @throws AccessException (unknown, 404) when there is no such IOC */
    public IocTree tree(long id) {
        return IocJson.read(require(id).tree());
    }

    /**
     * Stores a new IOC; audited.
     *
     * @param origin {@code api}, {@code evidence}, {@code openioc} or {@code stix}
     * @throws AccessDeniedException for a read-only user
     * @throws AccessException for a blank or too long name
     */
    public Ioc create(String name, IocTree tree, String origin, boolean alert) {
        return create(name, tree, origin, alert, List.of());
    }

    /**
     * Stores an IOC whose items were picked from saved evidence items (origin {@code evidence}): kept
     * with their endpoints, so only users who see them all see it; audited.
     *
     * @throws AccessException (unknown, 404) for an item the caller may not see
     */
    public Ioc createFromEvidence(String name, IocTree tree, boolean alert, List<Long> evidenceIds) {
        scope.require(Action.INVESTIGATE);
        java.util.SortedSet<String> endpoints = new java.util.TreeSet<>();
        for (long id : evidenceIds) {
            endpoints.add(scope.savedEvidence().find(id).orElseThrow(() -> AccessException.unknown("no evidence item " + id
                    + ": GET /api/v1/evidence lists them")).endpoint());
        }
        return create(name, tree, "evidence", alert, List.copyOf(endpoints));
    }

    /** What a hunt may add to an IOC's query (the endpoints' and time's filters), kept free of {@link #maxSearches}. */
    private static final int SEARCH_RESERVE = 8;

    /**
     * The most searches one IOC may make: Lucene's limit on the clauses of one query, counted over all
     * its groups ({@code IndexSearcher.getMaxClauseCount()}, 1,024 by default), less a few a hunt adds.
     * An item on one field is one search; a file name two (its path ending in / or \); an alias one per field.
     */
    public static int maxSearches() {
        return org.apache.lucene.search.IndexSearcher.getMaxClauseCount() - SEARCH_RESERVE;
    }

    /** How many searches (Lucene clauses) the tree's items make, as {@link #maxSearches} counts them. */
    public static int searches(IocTree tree) {
        int n = 0;
        for (IocTree.Item item : tree.items()) n += leaves(QueryLanguage.parse(item.toQuery()));
        return n;
    }

    private static int leaves(org.apache.lucene.search.Query query) {
        int[] n = {0};
        // counted as IndexSearcher counts them for its limit: every leaf, whatever its group
        query.visit(new org.apache.lucene.search.QueryVisitor() {
            @Override
            public org.apache.lucene.search.QueryVisitor getSubVisitor(org.apache.lucene.search.BooleanClause.Occur occur,
                    org.apache.lucene.search.Query parent) {
                return this;
            }

            @Override
            public void visitLeaf(org.apache.lucene.search.Query q) {
                n[0]++;
            }

            @Override
            public void consumeTerms(org.apache.lucene.search.Query q, org.apache.lucene.index.Term... terms) {
                n[0]++;
            }

            @Override
            public void consumeTermsMatching(org.apache.lucene.search.Query q, String field,
                    java.util.function.Supplier<org.apache.lucene.util.automaton.ByteRunAutomaton> automaton) {
                n[0]++;
            }
        });
        return n[0];
    }

    /**
     * A control character (U+0000, a tab, a line break): not in a name, which shows in pages, XML (which cannot hold most
     * of them) and file names. Invisible format characters (U+202E) are kept: pages mark them (live/text.jte).
     */
    private static boolean unprintable(int cp) {
        return Character.isISOControl(cp);
    }

    /**
     * A name from an imported document made fit for an IOC: its control characters turned into spaces,
     * runs of spaces into one, cut to {@link #MAX_NAME} characters; "imported" when nothing is left.
     */
    public static String importedName(String name) {
        StringBuilder b = new StringBuilder();
        (name == null ? "" : name).codePoints().forEach(cp -> b.appendCodePoint(unprintable(cp) ? ' ' : cp));
        String clean = b.toString().replaceAll(" {2,}", " ").strip();
        if (clean.length() > MAX_NAME) clean = clean.substring(0, Character.isLowSurrogate(clean.charAt(MAX_NAME)) ? MAX_NAME - 1 : MAX_NAME).strip();
        return clean.isEmpty() ? "imported" : clean;
    }

    private Ioc create(String name, IocTree tree, String origin, boolean alert, List<String> endpoints) {
        scope.require(Action.INVESTIGATE);
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty()) throw new AccessException("the IOC needs a name");
        if (clean.length() > MAX_NAME) throw new AccessException("the IOC's name is longer than " + MAX_NAME + " characters");
        // fifth try-out: a name holding U+0000 was kept, and its OpenIOC export (XML cannot hold it) came back named otherwise
        int bad = clean.codePoints().filter(Intel::unprintable).findFirst().orElse(-1);
        if (bad >= 0) {
            throw new AccessException(String.format(java.util.Locale.ROOT, "the IOC's name cannot hold line breaks, tabs or other control"
                    + " characters (it holds U+%04X): name it in plain words", bad));
        }
        String query = tree.toQuery();
        if (query.length() > QueryLanguage.MAX_LENGTH && query.length() / tree.items().size() >= QueryLanguage.MAX_LENGTH) {
            // try-out: one long value was "about 0 items like these"
            throw new AccessException("the IOC's " + (tree.items().size() == 1 ? "item makes" : "items make") + " a search of "
                    + String.format(java.util.Locale.ROOT, "%,d", query.length()) + " characters, more than one IOC can run ("
                    + String.format(java.util.Locale.ROOT, "%,d", QueryLanguage.MAX_LENGTH) + "), and no item fits in one alone: shorten"
                    + " the values, or use a part of each with the condition contains");
        }
        if (query.length() > QueryLanguage.MAX_LENGTH) {
            throw new AccessException("the IOC's " + tree.items().size() + " items make a search of " + query.length() + " characters, more"
                    + " than one IOC can run (" + String.format(java.util.Locale.ROOT, "%,d", QueryLanguage.MAX_LENGTH) + "; about "
                    + QueryLanguage.MAX_LENGTH / Math.max(1, query.length() / tree.items().size()) + " items like these): split it into"
                    + " several IOCs");
        }
        // after the length checks: an item too long for any search is refused there, in its own words
        int searches = searches(tree);
        if (searches > maxSearches()) {
            int items = tree.items().size();
            throw new AccessException(String.format(java.util.Locale.ROOT, "the IOC's %,d items are more than one IOC holds: each item is"
                    + " one search or more (a file name two), these make %,d, and one IOC makes at most %,d (the search engine's limit),"
                    + " about %,d items like these: split them into several IOCs", items, searches, maxSearches(),
                    (long) maxSearches() * items / searches));
        }
        QueryLanguage.parse(query); // a tree the hunt cannot run is refused now, not at its first scan
        long id = data.store().iocs().insert(new Ioc(0, clean, scope.caller().user(), clock.millis(), origin, alert, IocJson.write(tree),
                endpoints));
        scope.audit("ioc.create", null, AuditLog.OK, "IOC " + id + " '" + clean + "' (" + origin + ", " + tree.items().size()
                + (tree.items().size() == 1 ? " item" : " items") + (alert ? ", alerting" : "") + ")");
        if (alert) alerts.reload();
        return require(id);
    }

    /** As {@link #fromEvidence(String, List, java.util.Set)} with each process event's image hash and path. */
    public Ioc fromEvidence(String name, List<Long> evidenceIds) throws java.io.IOException {
        return fromEvidence(name, evidenceIds, Candidates.DEFAULT_PROCESS);
    }

    /**
     * An IOC of the default items of saved evidence items ({@link #offers}: each event's distinctive
     * indicators, never a common one; of a process event those of {@code process}), ORed; audited.
     *
     * @throws AccessException (unknown, 404) for an item the caller may not see
     * @throws AccessException for a snapshot item, and for items offering nothing but common values
     */
    public Ioc fromEvidence(String name, List<Long> evidenceIds, java.util.Set<Candidates.ProcessPart> process) throws java.io.IOException {
        return fromEvidenceMade(name, evidenceIds, process).ioc();
    }

    /** An IOC made from evidence, and how many distinctive indicators it left out as one IOC holds no more ({@link #maxSearches}). */
    public record Made(Ioc ioc, long leftOut) {}

    /** As {@link #fromEvidence(String, List, java.util.Set)}, saying how many defaults did not fit in the IOC. */
    public Made fromEvidenceMade(String name, List<Long> evidenceIds, java.util.Set<Candidates.ProcessPart> process) throws java.io.IOException {
        scope.require(Action.INVESTIGATE);
        if (evidenceIds == null || evidenceIds.isEmpty()) throw new AccessException("from_evidence: name at least one evidence id");
        EvidenceIndicators.Offers offers = offers(evidenceIds, process, false);
        List<IocTree.Item> items = offers.defaults();
        if (items.isEmpty()) {
            List<String> common = offers.commonDefaults();
            throw new AccessException("evidence " + evidenceIds + " offers no distinctive indicator: " + (common.isEmpty()
                    ? "no hash, path, command line, address, domain or registry value"
                    : "its values are common on the endpoints you may see (" + String.join("; ", common) + ")")
                    + "; pick indicators on Intel > Add > Evidence Based IOC");
        }
        java.util.SortedSet<String> endpoints = new java.util.TreeSet<>();
        for (long id : evidenceIds) endpoints.add(scope.savedEvidence().find(id).orElseThrow().endpoint());
        return new Made(create(name, new IocTree.Group(IocTree.Operator.OR, List.copyOf(items)), "evidence", false, List.copyOf(endpoints)),
                offers.overLimit());
    }

    /** The most distinct candidates the picker counts (each one search over the endpoints the caller may see). */
    public static final int MAX_COUNTED = 500;

    /**
     * The indicators these evidence items offer, grouped and counted ({@link EvidenceIndicators}): every
     * candidate counted when {@code countAll} (the picker, up to {@link #MAX_COUNTED}), else the defaults'.
     *
     * @throws AccessException (unknown, 404) for an item the caller may not see; for a snapshot item (a whole snapshot names no indicator)
     */
    public EvidenceIndicators.Offers offers(List<Long> evidenceIds, java.util.Set<Candidates.ProcessPart> process, boolean countAll)
            throws java.io.IOException {
        scope.require(Action.INVESTIGATE);
        List<List<Map<String, String>>> items = new ArrayList<>();
        java.util.Set<String> endpoints = new java.util.HashSet<>();
        for (long id : evidenceIds) {
            List<Map<String, String>> events = eventsOf(id, process.contains(Candidates.ProcessPart.HISTORY));
            EvidenceItems.Item item = scope.savedEvidence().find(id).orElseThrow();
            if (item.kind() == EvidenceItems.Kind.SNAPSHOT) throw new AccessException(SavedEvidence.wholeSnapshot(item));
            items.add(events);
            endpoints.add(item.endpoint());
        }
        return EvidenceIndicators.of(scope, items, endpoints, process, countAll, MAX_COUNTED);
    }

    /**
     * The events an evidence item contributes to an IOC: an event item's events; a process item's
     * start event (else, when its start was not recorded, the process's own fields as its first event
     * naming its image carries them: its image's defaults never a connection's address), then with
     * {@code history} the rest of its history (its connections, DNS queries, files, loads, registry writes:
     * each offers its own defaults, as an event item's do); a file item's description.
     *
     * @throws AccessException (unknown, 404) for an item the caller may not see
     */
    public List<Map<String, String>> eventsOf(long evidenceId, boolean history) {
        SavedEvidence evidence = scope.savedEvidence();
        EvidenceItems.Item item = evidence.find(evidenceId).orElseThrow(() -> AccessException.unknown("no evidence item " + evidenceId
                + ": GET /api/v1/evidence lists them"));
        List<Map<String, String>> events = evidence.events(evidenceId);
        if (item.kind() == EvidenceItems.Kind.PROCESS && !events.isEmpty()) {
            Optional<Map<String, String>> start = events.stream()
                    .filter(e -> "process".equals(e.get("type")) && "start".equals(e.get("operation"))).findFirst();
            Optional<Map<String, String>> first = start
                    .or(() -> events.stream().filter(e -> e.get("process_path") != null).findFirst().map(Intel::processOnly));
            // fourth try-out: the process item left out the C2 address it connected to, the DLL it dropped, the Run key it wrote
            List<Map<String, String>> out = new ArrayList<>();
            first.ifPresent(out::add);
            if (history) for (Map<String, String> e : events) if (!"process".equals(e.get("type"))) out.add(e); // its end, its accesses: itself again
            return out;
        }
        return events;
    }

    /** The process's own fields of one of its events, as a process event (the try-out's process item offered a connection's IP). */
    private static Map<String, String> processOnly(Map<String, String> event) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String f : List.of("endpoint", "process_key", "pid", "process_path", "process_name", "command_line", "user", "hash_md5",
                "hash_sha1", "hash_sha256", "signature", "signature_status", "parent_key", "ppid", "parent_path", "parent_command_line")) {
            String v = event.get(f);
            if (v != null) m.put(f, v);
        }
        m.put("type", "process");
        return m;
    }

    /**
     * Sets whether matching events raise alerts; audited.
     *
     * @throws AccessException (unknown, 404) when there is no such IOC
     * @throws AccessDeniedException (403, audited) when the caller is neither its author nor an administrator
     */
    public Ioc setAlert(long id, boolean alert) {
        scope.require(Action.INVESTIGATE);
        Ioc ioc = changeable(id, "switch alerts " + (alert ? "on" : "off") + " for");
        data.store().iocs().setAlert(id, alert);
        scope.audit("ioc.alert", null, AuditLog.OK, "IOC " + id + " '" + ioc.name() + "': alerts " + (alert ? "on" : "off"));
        alerts.reload();
        return require(id);
    }

    /**
     * Removes the IOC (its alerts stay); audited.
     *
     * @throws AccessException (unknown, 404) when there is no such IOC
     * @throws AccessDeniedException (403, audited) when the caller is neither its author nor an administrator
     */
    public void remove(long id) {
        scope.require(Action.INVESTIGATE);
        Ioc ioc = changeable(id, "delete");
        data.store().iocs().delete(id);
        scope.audit("ioc.remove", null, AuditLog.OK, "IOC " + id + " '" + ioc.name() + "'");
        alerts.reload();
    }

    /**
     * Runs the IOC as a hunt over every endpoint the caller may see; audited with the query.
     *
     * @throws AccessException (unknown, 404) when there is no such IOC
     */
    public Scan scan(long id) throws IOException {
        scope.require(Action.INVESTIGATE);
        Ioc ioc = require(id);
        String query = IocJson.read(ioc.tree()).toQuery();
        HuntResult result = scope.hunt(QueryLanguage.parse(query), SCAN_LIMIT, null);
        scope.audit("ioc.scan", null, AuditLog.OK, "IOC " + id + " '" + ioc.name() + "': " + result.total() + " events on "
                + result.counts().size() + " endpoints");
        return new Scan(ioc, query, result.counts(), result.hits(), result.total());
    }

    /**
     * What {@link #saveMatches} saved: the item (its {@code eventCount} the events saved) and how many events the IOC
     * matches on the endpoint; more than saved when they pass {@link SavedEvidence#MAX_EVENTS}.
     */
    public record SavedMatches(EvidenceItems.Item item, long matched) {
        /** Whether only the newest {@link SavedEvidence#MAX_EVENTS} of the matches were saved. */
        public boolean cut() {
            return matched > item.eventCount();
        }
    }

    /**
     * Saves the scan's matches on {@code endpoint} (the newest {@link SavedEvidence#MAX_EVENTS}, an item's most) as one
     * saved evidence item, tagged {@code ioc}; audited as a save. Answers the item and how many events matched, so a
     * caller says when not all were saved.
     */
    public SavedMatches saveMatches(long id, String endpoint) throws IOException {
        scope.require(Action.INVESTIGATE);
        Ioc ioc = require(id);
        String query = IocJson.read(ioc.tree()).toQuery();
        List<String> uids = new ArrayList<>();
        long matched;
        try (var lease = scope.index(endpoint)) {
            var parsed = QueryLanguage.parse(query);
            matched = lease.index().count(parsed);
            lease.index().export(parsed, trailhound.index.EventSort.NEWEST_FIRST, SavedEvidence.MAX_EVENTS, e -> uids.add(e.uid()));
        }
        if (uids.isEmpty()) throw new AccessException("IOC " + id + " matches nothing on " + endpoint);
        EvidenceItems.Item item = scope.savedEvidence().saveEvents(endpoint, uids, "matches of IOC " + id + " '" + ioc.name() + "'"
                + (matched > uids.size() ? " (the newest " + uids.size() + " of " + matched + ")" : ""), List.of("ioc"));
        return new SavedMatches(item, Math.max(matched, item.eventCount()));
    }

    /** Whether the caller may change or delete the IOC: its author, or an administrator. */
    public boolean changeable(Ioc ioc) {
        return ioc.author().equals(scope.caller().user()) || scope.may(Action.ADMINISTER);
    }

    private Ioc changeable(long id, String verb) {
        Ioc ioc = require(id);
        if (!changeable(ioc)) {
            scope.audit("access.denied", null, AuditLog.DENIED, verb + " IOC " + id + " of " + ioc.author());
            throw new AccessDeniedException("only its author (" + ioc.author() + ") or an administrator may " + verb + " IOC " + id);
        }
        return ioc;
    }

    private Ioc require(long id) {
        return find(id).orElseThrow(() -> AccessException.unknown("unknown IOC " + id + ": the Intel page lists them"
                + " (GET /api/v1/iocs)"));
    }
}
