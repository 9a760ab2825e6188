package trailhound.access;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import trailhound.index.EventSort;
import trailhound.index.IndexBackend;
import trailhound.index.UnknownEndpointException;
import trailhound.ingest.DataDir;
import trailhound.query.IndexFields;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.store.EvidenceFiles;
import trailhound.store.EvidenceItems;
import trailhound.store.EvidenceItems.Item;
import trailhound.store.EvidenceItems.Kind;
import trailhound.store.SnapshotInfo;

/**
 * Saved evidence items of every kind as one caller may see and handle them. An item is visible to
 * whoever may see its endpoint (administrators: every item, also of endpoints since purged); to
 * others an item outside their groups does not exist. Saving, editing the note and tags need the
 * analyst role ({@link Action#INVESTIGATE}; a comma separates tags, in a page's box and the API's list alike:
 * {@link #tags}); removing is for the user who saved it or an
 * administrator; downloading needs {@link Action#EXPORT}. Every save, edit, removal and download is
 * audited ({@code evidence.save}, {@code evidence.edit}, {@code evidence.remove},
 * {@code evidence.download}).
 *
 * <p>Event and process items hold a copy of every field of each event, taken from the index when
 * saved; a snapshot item a copy of the snapshot file ({@code evidence/snapshots/<id>.db}, a hard link
 * when the file system allows). Nothing later done to the endpoint (retention, purge, re-index)
 * changes them. Not thread-safe: one per request, as its scope.
 *
 * <pre>{@code
 * SavedEvidence evidence = scope.savedEvidence();
 * Item item = evidence.saveEvents("WS-FIN-01", List.of(uid1, uid2), "beacon", List.of("c2"));
 * evidence.events(item.id());       // [{"endpoint": "WS-FIN-01", "event_uid": ..., "ts": "1764...", ...}, ...]
 * }</pre>
 */
public final class SavedEvidence {
    /** Where snapshot items' copies live under the data folder. */
    public static final String SNAPSHOTS = "evidence/snapshots";
    /** The most events one event item takes (one request's selection). */
    public static final int MAX_EVENTS = 10_000;
    /** The most events of a process's history a process item copies (the first by time). */
    public static final int MAX_PROCESS_EVENTS = 50_000;
    private static final int MAX_NOTE = 10_000;
    private static final int MAX_TAGS = 20;
    private static final int MAX_TAG = 64;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> FIELDS = new TypeReference<>() {};

    private final Scope scope;
    private final DataDir data;
    private final Clock clock;

    SavedEvidence(Scope scope, DataDir data, Clock clock) {
        this.scope = scope;
        this.data = data;
        this.clock = clock;
    }

    private EvidenceItems items() {
        return data.store().evidenceItems();
    }

    /**
     * Saves copies of the endpoint's events with these {@code event_uid}s (exact, in the order given,
     * each once) as one item.
     *
     * @throws AccessDeniedException for a read-only user
     * @throws UnknownEndpointException for an endpoint the caller may not see or without index
     * @throws AccessException for no uids, more than {@value #MAX_EVENTS}, uids the endpoint has
     *         no event of (named), or a bad note or tag
     */
    public Item saveEvents(String endpoint, List<String> eventUids, String note, List<String> tags) throws IOException {
        scope.require(Action.INVESTIGATE);
        List<String> uids = List.copyOf(new LinkedHashSet<>(eventUids));
        if (uids.isEmpty()) throw new AccessException("no events to save: give the event_uid of at least one event");
        if (uids.size() > MAX_EVENTS) {
            throw new AccessException(String.format(java.util.Locale.ROOT, "%,d events selected; an item holds at most %,d", uids.size(),
                    MAX_EVENTS) + ": save fewer, or export the result instead");
        }
        List<String> cleanTags = tags(tags);
        checkNote(note);
        Map<String, Event> found = new LinkedHashMap<>();
        Set<String> wanted = Set.copyOf(uids);
        List<BytesRef> terms = uids.stream().map(u -> new BytesRef(IndexFields.normalize(u))).distinct().toList();
        try (IndexBackend.Lease lease = scope.index(endpoint)) {
            Query query = new TermInSetQuery(IndexFields.term(Field.EVENT_UID), terms);
            lease.index().export(query, EventSort.NEWEST_FIRST, Long.MAX_VALUE, e -> {
                if (wanted.contains(e.uid())) found.putIfAbsent(e.uid(), e); // terms are lower case: keep the exact uid only
            });
        }
        List<String> missing = uids.stream().filter(u -> !found.containsKey(u)).toList();
        if (!missing.isEmpty()) {
            throw new AccessException(endpoint + " has no event with event_uid " + String.join(", ", missing.stream().limit(5)
                    .toList()) + (missing.size() > 5 ? " and " + (missing.size() - 5) + " more" : "") + ": take the uids from a search");
        }
        List<Event> events = uids.stream().map(found::get).toList();
        Event first = events.getFirst();
        String title = events.size() == 1 ? first.kind() + (first.object() == null ? "" : " " + first.object())
                : String.format(java.util.Locale.ROOT, "%,d events, ", events.size()) + Event.formatTime(events.stream().mapToLong(Event::ts).min().orElse(0)) + " to "
                        + Event.formatTime(events.stream().mapToLong(Event::ts).max().orElse(0));
        return save(Kind.EVENT, endpoint, title, null, note, cleanTags, events);
    }

    /**
     * Saves a process: copies of every event of its history (its {@code process_key}), first by time, at
     * most {@value #MAX_PROCESS_EVENTS}.
     *
     * @throws AccessDeniedException for a read-only user
     * @throws UnknownEndpointException for an endpoint the caller may not see
     * @throws AccessException when the endpoint has no event of that process, or a bad note or tag
     */
    public Item saveProcess(String endpoint, String processKey, String note, List<String> tags) throws IOException {
        scope.require(Action.INVESTIGATE);
        List<String> cleanTags = tags(tags);
        checkNote(note);
        if (processKey == null || processKey.isBlank()) throw new AccessException("no process_key: name the process to save");
        List<Event> events = new ArrayList<>();
        try (IndexBackend.Lease lease = scope.index(endpoint)) {
            Query query = new TermQuery(new Term(IndexFields.term(Field.PROCESS_KEY), IndexFields.normalize(processKey)));
            lease.index().export(query, EventSort.parse("ts"), MAX_PROCESS_EVENTS, events::add);
        }
        if (events.isEmpty()) {
            throw AccessException.unknown(endpoint + " has no event of process_key " + processKey
                    + ": take the key from the process page or a search");
        }
        Event start = events.stream().filter(e -> "process".equals(e.type()) && "start".equals(e.operation())).findFirst()
                .orElse(events.getFirst());
        String name = start.get(Field.PROCESS_NAME) != null ? start.get(Field.PROCESS_NAME) : start.get(Field.PROCESS_PATH);
        String title = (name == null ? "process" : name) + (start.get(Field.PID) == null ? "" : " (pid " + start.get(Field.PID) + ")")
                + ", " + events.size() + (events.size() == 1 ? " event" : " events");
        return save(Kind.PROCESS, endpoint, title, processKey, note, cleanTags, events);
    }

    /**
     * Saves a snapshot: a copy of its file under {@value #SNAPSHOTS}.
     *
     * @throws AccessDeniedException for a read-only user
     * @throws UnknownEndpointException for an endpoint the caller may not see
     * @throws AccessException for a snapshot the endpoint does not have, or a bad note or tag
     */
    public Item saveSnapshot(String endpoint, String snapshotId, String note, List<String> tags) throws IOException {
        scope.require(Action.INVESTIGATE);
        List<String> cleanTags = tags(tags);
        checkNote(note);
        SnapshotInfo s = scope.snapshot(endpoint, snapshotId).orElseThrow(() -> AccessException.unknown(endpoint
                + " has no snapshot " + snapshotId + ": GET /api/v1/endpoints/" + endpoint + "/snapshots lists them"));
        String title = s.id() + ", " + String.format(java.util.Locale.ROOT, s.eventCount() == 1 ? "%,d event, " : "%,d events, ", s.eventCount())
                + Event.formatTime(s.firstTs()) + " to " + Event.formatTime(s.lastTs());
        long id = items().save(Kind.SNAPSHOT, endpoint, title, s.id(), note, cleanTags, List.of(), s.eventCount(), scope.caller().user(),
                clock.millis());
        try {
            Path copy = snapshotCopy(id);
            Files.createDirectories(copy.getParent());
            Path temp = copy.resolveSibling(copy.getFileName() + ".part");
            Files.deleteIfExists(temp);
            try {
                Files.createLink(temp, s.file()); // the same bytes, kept when the snapshot itself is removed
            } catch (IOException | UnsupportedOperationException noLink) {
                Files.copy(s.file(), temp);
            }
            Files.move(temp, copy, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            items().remove(id);
            scope.audit("evidence.save", endpoint, AuditLog.FAILED, "snapshot " + s.id() + ": " + e.getMessage());
            throw e;
        }
        scope.audit("evidence.save", endpoint, AuditLog.OK, "evidence " + id + ": snapshot " + s.id());
        return items().find(id).orElseThrow();
    }

    private Item save(Kind kind, String endpoint, String title, String reference, String note, List<String> tags, List<Event> events) {
        List<String> json = new ArrayList<>(events.size());
        try {
            for (Event e : events) json.add(JSON.writeValueAsString(e.toMap()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long id = items().save(kind, endpoint, title, reference, note, tags, json, scope.caller().user(), clock.millis());
        scope.audit("evidence.save", endpoint, AuditLog.OK, "evidence " + id + ": " + kind.label() + " " + title
                + (reference == null ? "" : " (" + reference + ")"));
        return items().find(id).orElseThrow();
    }

    /**
     * The item the caller may see that already holds this process ({@code reference} its key) or snapshot
     * (its id) of {@code endpoint}, the newest; empty when none does. Saving one again made a second copy
     * without a word (fourth try-out): pages and the API say it is saved and link it instead.
     */
    public Optional<Item> alreadySaved(Kind kind, String endpoint, String reference) {
        if (reference == null || endpoint == null) return Optional.empty();
        return list(new EvidenceItems.Filter(kind, endpoint, null, null)).stream().filter(i -> reference.equals(i.reference())).findFirst();
    }

    /** The items the caller may see matching the filter, newest first. */
    public List<Item> list(EvidenceItems.Filter filter) {
        return items().list(filter).stream().filter(this::visible).toList();
    }

    /** The item, when it exists and the caller may see it. */
    public Optional<Item> find(long id) {
        return items().find(id).filter(this::visible);
    }

    /**
     * The item's saved events, every field of each by canonical name ({@code ts} in UTC epoch ms, as
     * {@link Event#toMap()}), in the order saved. A file item answers one map describing the file
     * ({@code endpoint}, {@code file_path}, and {@code hash_sha256} once its transfer completed); a
     * snapshot item none. Not audited (a look, as a search is not per page).
     *
     * @throws AccessException when there is no such item among those the caller may see
     */
    public List<Map<String, String>> events(long id) {
        Item item = find(id).orElseThrow(() -> unknown(id));
        return switch (item.kind()) {
            case EVENT, PROCESS -> items().events(id).stream().map(SavedEvidence::fields).toList();
            case FILE -> data.store().evidenceFiles().find(id).map(f -> {
                Map<String, String> m = new LinkedHashMap<>();
                m.put(Field.ENDPOINT.canonicalName(), f.endpoint());
                // a kept file, not a recorded file event: its hash is the file's own (Candidates ticks hash and path)
                m.put(Field.TYPE.canonicalName(), "file");
                m.put(Field.OPERATION.canonicalName(), Candidates.KEPT_FILE);
                m.put(Field.FILE_PATH.canonicalName(), f.path());
                if (f.sha256() != null) m.put(Field.HASH_SHA256.canonicalName(), f.sha256());
                return List.of(m);
            }).orElse(List.of());
            case SNAPSHOT -> List.of();
        };
    }

    /**
     * As {@link #events} for an event or process item, its first {@code limit} events only (to link
     * them without reading thousands).
     */
    public List<Map<String, String>> events(long id, int limit) {
        Item item = find(id).orElseThrow(() -> unknown(id));
        if (item.kind() != Kind.EVENT && item.kind() != Kind.PROCESS) return events(id);
        return items().events(id, limit).stream().map(SavedEvidence::fields).toList();
    }

    /** As {@link #events(long, int)}, the {@code limit} events from the {@code offset}th (0-based) on. */
    public List<Map<String, String>> events(long id, int offset, int limit) {
        Item item = find(id).orElseThrow(() -> unknown(id));
        if (item.kind() != Kind.EVENT && item.kind() != Kind.PROCESS) return events(id).stream().skip(offset).limit(limit).toList();
        return items().events(id, offset, limit).stream().map(SavedEvidence::fields).toList();
    }

    /** The item's kind (event, process, file or snapshot). @throws AccessException as {@link #events} */
    public Kind kind(long id) {
        return find(id).orElseThrow(() -> unknown(id)).kind();
    }

    /** The item's endpoint. @throws AccessException as {@link #events} */
    public String endpoint(long id) {
        return find(id).orElseThrow(() -> unknown(id)).endpoint();
    }

    /**
     * The item's saved events for a download, audited; as {@link #events}.
     *
     * @throws AccessDeniedException for a read-only user
     */
    public List<Map<String, String>> download(Item item, String as) {
        scope.require(Action.EXPORT);
        scope.audit("evidence.download", item.endpoint(), AuditLog.OK, "evidence " + item.id() + ": " + item.kind().label() + " "
                + item.title() + " as " + as);
        return events(item.id());
    }

    /** The copy of a snapshot item's file. */
    public Path snapshotCopy(long id) {
        return data.root().resolve(SNAPSHOTS).resolve(id + ".db");
    }

    /**
     * Replaces the item's note and tags (a null one stays as it is); audited.
     *
     * @throws AccessDeniedException unless the caller saved it or is an administrator
     * @throws AccessException for an unknown item, a bad note or tag
     */
    public Item describe(long id, String note, List<String> tags) {
        scope.require(Action.INVESTIGATE);
        Item item = find(id).orElseThrow(() -> unknown(id));
        // try-out: another analyst replaced a note and wiped its tags; an item's words are its author's, as removing it is
        if (!item.createdBy().equals(scope.caller().user()) && scope.caller().role() != Role.ADMINISTRATOR) {
            scope.audit("access.denied", item.endpoint(), AuditLog.DENIED, "evidence " + id + ": only " + item.createdBy()
                    + " or an administrator may change its note and tags");
            throw new AccessDeniedException("evidence " + id + " was saved by " + item.createdBy()
                    + ": only they or an administrator may change its note and tags");
        }
        if (note == null) note = item.note(); // what is not given stays (try-out: a note alone wiped the tags)
        if (tags == null) tags = item.tags();
        List<String> clean = tags(tags);
        checkNote(note);
        items().describe(id, note, clean, clock.millis());
        scope.audit("evidence.edit", item.endpoint(), AuditLog.OK, "evidence " + id + ": note " + (note == null ? 0 : note.length())
                + " characters, tags " + String.join(", ", clean));
        return items().find(id).orElseThrow();
    }

    /**
     * Removes the item and its copies; audited.
     *
     * @throws AccessDeniedException unless the caller saved it or is an administrator
     * @throws IllegalStateException for a file item still transferring (cancel it first)
     * @throws AccessException for an unknown item
     */
    public void remove(long id) throws IOException {
        scope.require(Action.INVESTIGATE);
        Item item = find(id).orElseThrow(() -> unknown(id));
        if (!item.createdBy().equals(scope.caller().user()) && scope.caller().role() != Role.ADMINISTRATOR) {
            scope.audit("access.denied", item.endpoint(), AuditLog.DENIED, "evidence " + id + ": only " + item.createdBy()
                    + " or an administrator may remove it");
            throw new AccessDeniedException("evidence " + id + " was saved by " + item.createdBy()
                    + ": only they or an administrator may remove it");
        }
        if (item.kind() == Kind.FILE) {
            // a file item is its evidence file: removed as Evidence removes one (refused while it transfers, its part too)
            Optional<EvidenceFiles.EvidenceFile> file = data.store().evidenceFiles().find(id);
            if (file.isPresent()) {
                scope.evidence().delete(file.get());
                return;
            }
        }
        items().remove(id);
        if (item.kind() == Kind.SNAPSHOT) Files.deleteIfExists(snapshotCopy(id));
        scope.audit("evidence.remove", item.endpoint(), AuditLog.OK, "evidence " + id + ": " + item.kind().label() + " " + item.title());
    }

    /** Every tag on the items the caller may see, with how many carry it. */
    public Map<String, Long> tags() {
        Map<String, Long> out = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Item i : list(EvidenceItems.Filter.ALL)) {
            for (String t : i.tags()) out.merge(t, 1L, Long::sum);
        }
        return out;
    }

    /** The file row of a file item (its transfer state, size and hash). */
    public Optional<EvidenceFiles.EvidenceFile> file(Item item) {
        return item.kind() == Kind.FILE ? data.store().evidenceFiles().find(item.id()) : Optional.empty();
    }

    private boolean visible(Item item) {
        return scope.caller().role() == Role.ADMINISTRATOR || scope.sees(item.endpoint());
    }

    private static AccessException unknown(long id) {
        return AccessException.unknown("no evidence " + id + " among the items you may see; GET /api/v1/evidence lists them");
    }

    private static Map<String, String> fields(String json) {
        try {
            return JSON.readValue(json, FIELDS);
        } catch (IOException e) {
            throw new UncheckedIOException("a saved event is not the JSON written when it was saved: " + e.getMessage(), e);
        }
    }

    private static void checkNote(String note) {
        if (note != null && note.length() > MAX_NOTE) {
            throw new AccessException(String.format(java.util.Locale.ROOT, "the note has %,d characters; at most %,d", note.length(), MAX_NOTE));
        }
    }

    /**
     * Why a snapshot item gives no indicator or rule of its own, and where to find some: it is a whole
     * snapshot, whose events are opened in its grid and saved one selection or process at a time.
     */
    public static String wholeSnapshot(Item item) {
        return "evidence " + item.id() + " is a whole snapshot (" + item.reference() + " of " + item.endpoint() + ", "
                + String.format(java.util.Locale.ROOT, "%,d", item.eventCount()) + " events), not one program or event: it names no single"
                + " indicator. Open it (/endpoints/" + encoded(item.endpoint()) + "/events?snapshot=" + encoded(item.reference())
                + "), save the events or processes in it that matter, and use those";
    }

    private static String encoded(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Tags split at commas, trimmed, empty ones dropped, each once (case ignored). One rule for the
     * page's box ("c2, beacon") and the API's list alike: a comma separates tags, so no tag holds one
     * ({@code ["a,b"]} is the two tags {@code a} and {@code b}).
     */
    static List<String> tags(List<String> tags) {
        if (tags == null) return List.of();
        Set<String> seen = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        List<String> out = new ArrayList<>();
        for (String t : tags.stream().filter(java.util.Objects::nonNull).flatMap(t -> java.util.Arrays.stream(t.split(","))).toList()) {
            String s = t.strip();
            if (s.isEmpty()) continue;
            if (s.length() > MAX_TAG || s.chars().anyMatch(Character::isISOControl)) {
                // the tag as given is cut in the message: a 5,000-character one came back whole (fourth try-out)
                boolean cut = s.codePointCount(0, s.length()) > 40;
                String shown = (cut ? s.substring(0, s.offsetByCodePoints(0, 40)) + "..." : s).replaceAll("\\p{Cntrl}", "?");
                throw new AccessException("tag '" + shown + "'" + (cut ? String.format(java.util.Locale.ROOT, " (%,d characters)", s.length()) : "")
                        + ": a tag is at most " + MAX_TAG + " characters, none of them control characters");
            }
            if (seen.add(s)) out.add(s);
        }
        if (out.size() > MAX_TAGS) throw new AccessException(out.size() + " tags; an item carries at most " + MAX_TAGS);
        return out;
    }
}
