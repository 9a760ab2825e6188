package trailhound.web.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import trailhound.access.AccessException;
import trailhound.access.Action;
import trailhound.access.SavedEvidence;
import trailhound.access.Scope;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.store.EvidenceItems;
import trailhound.store.EvidenceItems.Item;
import trailhound.store.EvidenceItems.Kind;
import trailhound.web.BadRequest;
import trailhound.web.Format;
import trailhound.web.PageChrome;
import trailhound.web.Routes;
import trailhound.web.WebContext;
import trailhound.web.search.EventCsv;

/**
 * Saved evidence items of every kind: the JSON API and the Saved Evidence tabs Events, Processes and
 * Snapshots (Files is {@link EvidencePages}'). Times ISO-8601 UTC.
 * <ul>
 * <li>{@code POST /api/v1/evidence}: {@code {"kind": "event", "endpoint": E, "event_uids": [...]}},
 *     {@code {"kind": "process", "endpoint": E, "process_key": K}} or {@code {"kind": "snapshot", "endpoint": E,
 *     "snapshot": S}}, each with optional {@code "note"} and {@code "tags": [...]} (a comma separates tags here as in the
 *     page's box: {@code ["a,b"]} is two tags); answers 201 with the item
 *     (analysts and administrators; audited).
 * <li>{@code GET /api/v1/evidence?kind=&endpoint=&tag=&user=}: {@code "items"} ({@link #json}) beside the
 *     files list; {@code GET /api/v1/evidence/{id}} one item, {@code GET /api/v1/evidence/{id}/events} its saved
 *     events (every field, canonical names, {@code ts} ISO-8601).
 * <li>{@code POST /api/v1/evidence/{id}}: {@code {"note": N, "tags": [...]}} replaces what it names: a field left out
 *     stays as it is, a field given as {@code null} is cleared (the note emptied, the tags removed: both alike, as in a
 *     JSON merge patch);
 *     {@code DELETE /api/v1/evidence/{id}} removes it (the user who saved it or an administrator).
 * <li>{@code GET /evidence/items/{id}/context?part=N}: the grid with the item's events
 *     {@code (N-1)*100+1} to {@code N*100} ({@link #CONTEXT_EVENTS} a part: one grid page; the item's page links each part).
 * <li>{@code GET /api/v1/evidence/{id}/download}: events and processes as {@code events.csv} and
 *     {@code events.json}, a snapshot as its database, in a ZIP encrypted with AES-256, password
 *     {@value EvidenceZip#PASSWORD}, entry names readable without it (audited).
 * </ul>
 */
public final class SavedEvidencePages {
    /** Items a page of a tab lists. */
    static final int PAGE_SIZE = 50;
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final WebContext ctx;

    SavedEvidencePages(WebContext ctx) {
        this.ctx = ctx;
    }

    public static void register(Routes routes, WebContext ctx) {
        SavedEvidencePages p = new SavedEvidencePages(ctx);
        routes.post("/api/v1/evidence", Action.INVESTIGATE, p::apiSave);
        routes.post("/api/v1/evidence/{id}", Action.INVESTIGATE, p::apiDescribe);
        routes.delete("/api/v1/evidence/{id}", Action.INVESTIGATE, p::apiRemove);
        routes.get("/api/v1/evidence/{id}/events", Action.VIEW, p::apiEvents);
        routes.get("/evidence", Action.VIEW, http -> http.redirect("/evidence/events", HttpStatus.SEE_OTHER));
        routes.get("/evidence/events", Action.VIEW, http -> p.tab(http, Kind.EVENT));
        routes.get("/evidence/processes", Action.VIEW, http -> p.tab(http, Kind.PROCESS));
        routes.get("/evidence/snapshots", Action.VIEW, http -> p.tab(http, Kind.SNAPSHOT));
        routes.post("/evidence", Action.INVESTIGATE, p::saveFromForm);
        routes.post("/evidence/{id}/describe", Action.INVESTIGATE, p::describeFromForm);
        routes.post("/evidence/{id}/remove", Action.INVESTIGATE, p::removeFromForm);
        routes.get("/evidence/{id}/download", Action.EXPORT, p::download);
        routes.get("/evidence/items/{id}", Action.VIEW, p::itemPage);
        routes.get("/evidence/items/{id}/context", Action.VIEW, p::contextPart);
    }

    /** The most saved events the item page shows; the download holds them all. */
    public static final int SHOWN_EVENTS = 500;

    /**
     * One saved item of events (an event selection or a process) as it was saved: its copy, read from
     * server.db, never from the index. {@code events} the first {@link #SHOWN_EVENTS} as outputs show them
     * ({@link #display}); {@code more} whether it holds others.
     */
    public record ItemPage(PageChrome chrome, ItemRow row, List<Map<String, String>> events, boolean more, boolean mayDownload) {
        /** The columns of the table; every other field of an event is listed in its last cell. */
        public static final List<String> COLUMNS = List.of(Field.TS.canonicalName(), Field.TYPE.canonicalName(),
                Field.OPERATION.canonicalName(), Field.PROCESS_NAME.canonicalName(), Field.PID.canonicalName());

        /** The line the table shows of the other fields: {@code name=value} each, the page cuts it to the cell (every field on a click). */
        public static String summary(Map<String, String> event) {
            StringBuilder b = new StringBuilder();
            for (Map.Entry<String, String> f : rest(event)) {
                if (b.length() > 400) break; // more than one line shows
                if (!b.isEmpty()) b.append(" · ");
                String v = f.getValue();
                if (v.length() > 120) v = v.substring(0, Character.isHighSurrogate(v.charAt(118)) ? 118 : 119) + "\u2026";
                b.append(f.getKey()).append('=').append(v.replaceAll("[\\r\\n\\t]+", " "));
            }
            return b.toString();
        }

        /** The fields of {@code event} outside {@link #COLUMNS} that hold a value, in the event model's order. */
        public static List<Map.Entry<String, String>> rest(Map<String, String> event) {
            List<Map.Entry<String, String>> rest = new ArrayList<>();
            for (Field f : Field.all()) {
                String v = event.get(f.canonicalName());
                if (v != null && !v.isEmpty() && !COLUMNS.contains(f.canonicalName())) rest.add(Map.entry(f.canonicalName(), v));
            }
            return rest;
        }
    }

    private void itemPage(Context http) {
        Item item = find(http);
        Scope scope = ctx.scope(http);
        if (item.kind() == Kind.FILE) {
            http.redirect("/evidence/files?new=" + item.id(), HttpStatus.SEE_OTHER);
            return;
        }
        if (item.kind() == Kind.SNAPSHOT) {
            http.redirect(context(scope, item), HttpStatus.SEE_OTHER);
            return;
        }
        List<Map<String, String>> events = scope.savedEvidence().events(item.id(), SHOWN_EVENTS + 1).stream().map(SavedEvidencePages::display)
                .toList();
        ctx.render(http, "evidence/item.jte", new ItemPage(ctx.chrome(http, "Saved evidence " + item.id()), row(scope, item),
                events.subList(0, Math.min(SHOWN_EVENTS, events.size())), events.size() > SHOWN_EVENTS, scope.may(Action.EXPORT)));
    }

    /** One tab: its items (one page of them), the filters, the tags and users to pick from. */
    public record TabPage(PageChrome chrome, String tab, List<ItemRow> rows, String endpoint, String tag, String user, List<String> tags,
            List<String> users, List<String> endpoints, int page, boolean more, boolean mayEdit, boolean mayDownload, String highlight,
            boolean already, String words) {

        /** Where the highlighted item, when it was already saved, is seen ({@code already}: the save made nothing). */
        public String alreadyLink() {
            return "snapshots".equals(tab) ? "/evidence/snapshots?new=" + highlight : "/evidence/items/" + highlight;
        }

        /** The link to page {@code n} of this tab with the same filters. */
        public String pageUrl(int n) {
            return "/evidence/" + tab + "?page=" + n + param("endpoint", endpoint) + param("tag", tag) + param("user", user);
        }

        private static String param(String name, String value) {
            return value == null ? "" : "&" + name + "=" + Format.url(value);
        }
    }

    /**
     * Whether words analysts wrote (a note, tags) hold characters that would hide what they say (a
     * U+202E, a zero-width space...), as free text, line by line (a note's line breaks are its own): pages
     * then show them as {@link trailhound.web.live.LiveFiles#shownTextLines} does and mark them.
     */
    public static boolean unusual(String text) {
        return trailhound.web.live.LiveFiles.unusualTextLines(text);
    }

    /** An item as a tab shows it; {@code context} where it opens (the grid, the process page, the snapshot's grid). */
    public record ItemRow(Item item, String createdAt, String context, boolean removable) {
        public String tags() {
            return String.join(", ", item.tags());
        }

        /** How many parts of {@link #CONTEXT_EVENTS} events an event item opens in (1 for any other item). */
        public int contextParts() {
            return parts(item);
        }

        /** "events 101-200 of 1,000", the events part {@code n} opens. */
        public String part(int n) {
            return String.format(java.util.Locale.ROOT, "events %,d-%,d of %,d", (n - 1) * CONTEXT_EVENTS + 1,
                    Math.min((long) n * CONTEXT_EVENTS, item.eventCount()), item.eventCount());
        }

        static int parts(Item item) {
            return item.kind() != Kind.EVENT ? 1 : (int) Math.max(1, (item.eventCount() + CONTEXT_EVENTS - 1) / CONTEXT_EVENTS);
        }
    }

    private void tab(Context http, Kind kind) {
        Scope scope = ctx.scope(http);
        SavedEvidence evidence = scope.savedEvidence();
        String endpoint = blankToNull(http.queryParam("endpoint"));
        String tag = blankToNull(http.queryParam("tag"));
        String user = blankToNull(http.queryParam("user"));
        int page = Math.max(1, parseInt(http.queryParam("page")));
        List<Item> all = evidence.list(new EvidenceItems.Filter(kind, endpoint, tag, user));
        List<ItemRow> rows = all.stream().skip((long) (page - 1) * PAGE_SIZE).limit(PAGE_SIZE).map(i -> row(scope, i)).toList();
        List<Item> everything = evidence.list(new EvidenceItems.Filter(kind, null, null, null));
        List<String> users = everything.stream().map(Item::createdBy).distinct().sorted().toList();
        List<String> endpoints = everything.stream().map(Item::endpoint).distinct().sorted().toList();
        String tabName = switch (kind) {
            case EVENT -> "events";
            case PROCESS -> "processes";
            default -> "snapshots";
        };
        ctx.render(http, "evidence/items.jte", new TabPage(ctx.chrome(http, "Saved evidence: " + tabName), tabName, rows, endpoint, tag, user,
                new ArrayList<>(evidence.tags().keySet()), users, endpoints, page, all.size() > page * PAGE_SIZE,
                scope.may(Action.INVESTIGATE), scope.may(Action.EXPORT), highlight(http.queryParam("new")),
                http.queryParam("already") != null && highlight(http.queryParam("new")) != null,
                List.of("added", "refused").contains(String.valueOf(http.queryParam("already"))) ? http.queryParam("already") : null));
    }

    private static int parseInt(String s) {
        try {
            return s == null ? 1 : Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private ItemRow row(Scope scope, Item i) {
        boolean removable = scope.may(Action.INVESTIGATE)
                && (i.createdBy().equals(scope.caller().user()) || scope.caller().role() == trailhound.access.Role.ADMINISTRATOR);
        return new ItemRow(i, Format.utc(i.createdAt()), context(scope, i), removable);
    }

    /** The saved events an event item's context shows at once: one page of the grid. */
    public static final int CONTEXT_EVENTS = 100;

    /** Redirects to part {@code part} (1-based, {@link #CONTEXT_EVENTS} events each) of an item's context. */
    private void contextPart(Context http) {
        Item item = find(http);
        int parts = ItemRow.parts(item);
        int part = parseInt(http.queryParam("part"));
        if (part < 1 || part > parts) {
            throw new BadRequest("evidence " + item.id() + " has " + trailhound.web.Format.count(item.eventCount(), "event", "events") + ", "
                    + parts + (parts == 1 ? " part" : " parts")
                    + " of " + CONTEXT_EVENTS + " to open in their context: choose one from 1 to " + parts);
        }
        http.redirect(context(ctx.scope(http), item, part), HttpStatus.SEE_OTHER);
    }

    /** Where an item opens: its events in the grid (the first {@link #CONTEXT_EVENTS}), the process page, the file's row, the snapshot's grid. */
    static String context(Scope scope, Item i) {
        return context(scope, i, 1);
    }

    /** As {@link #context(Scope, Item)}, an event item's {@code part}th {@link #CONTEXT_EVENTS} events. */
    static String context(Scope scope, Item i, int part) {
        String base = "/endpoints/" + Format.segment(i.endpoint());
        return switch (i.kind()) {
            case EVENT -> {
                List<String> uids = scope.savedEvidence().events(i.id(), (part - 1) * CONTEXT_EVENTS, CONTEXT_EVENTS).stream()
                        .map(m -> m.get(Field.EVENT_UID.canonicalName())).filter(java.util.Objects::nonNull).toList();
                yield base + "/events?q=" + Format.url(String.join(" OR ", uids.stream().map(u -> "event_uid:" + quoted(u)).toList()));
            }
            case PROCESS -> base + "/process/" + Format.segment(i.reference());
            case FILE -> "/evidence/files?new=" + i.id();
            case SNAPSHOT -> base + "/events?snapshot=" + Format.url(i.reference());
        };
    }

    /** A query-language phrase of {@code value}: one exact value whatever it holds. */
    static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private void apiSave(Context http) throws IOException {
        JsonNode body = ctx.jsonBody(http);
        String usage = "expected {\"kind\": \"event\", \"endpoint\": E, \"event_uids\": [...]}, {\"kind\": \"process\", \"endpoint\": E,"
                + " \"process_key\": K} or {\"kind\": \"snapshot\", \"endpoint\": E, \"snapshot\": S}, with optional \"note\" and \"tags\"";
        if (!body.isObject()) throw new BadRequest(usage);
        WebContext.knownFields(body, "an evidence item", "kind", "endpoint", "event_uids", "process_key", "snapshot", "note", "tags");
        String kind = text(body, "kind", usage);
        String endpoint = text(body, "endpoint", usage);
        if (kind == null || endpoint == null) throw new BadRequest(usage);
        Optional<Item> already = alreadySaved(ctx.scope(http), kind, endpoint, text(body, "process_key", usage), text(body, "snapshot", usage));
        if (already.isPresent()) { // 200, not 201: nothing was made
            Words words = addWords(ctx.scope(http), already.get(), text(body, "note", usage), WebContext.strings(body, "tags", usage));
            Map<String, Object> out = json(ctx.scope(http).savedEvidence().find(already.get().id()).orElse(already.get()));
            out.put("already_saved", true);
            out.put("message", alreadyMessage(already.get(), words));
            http.json(out);
            return;
        }
        Item item = save(ctx.scope(http), kind, endpoint, WebContext.strings(body, "event_uids", usage), text(body, "process_key", usage),
                text(body, "snapshot", usage), text(body, "note", usage), WebContext.strings(body, "tags", usage), usage);
        http.status(HttpStatus.CREATED).json(json(item));
    }

    /** The item already holding the process or snapshot asked to be saved, when there is one ({@link SavedEvidence#alreadySaved}). */
    private static Optional<Item> alreadySaved(Scope scope, String kind, String endpoint, String processKey, String snapshot) {
        return switch (kind) {
            case "process" -> scope.savedEvidence().alreadySaved(Kind.PROCESS, endpoint, processKey);
            case "snapshot" -> scope.savedEvidence().alreadySaved(Kind.SNAPSHOT, endpoint, snapshot);
            default -> Optional.empty();
        };
    }

    /** Where an item already saved is seen: its saved copy, or a snapshot's row. */
    static String savedLink(Item i) {
        return i.kind() == Kind.SNAPSHOT ? "/evidence/snapshots?new=" + i.id() : "/evidence/items/" + i.id();
    }

    private static String alreadyMessage(Item i, Words words) {
        return (i.kind() == Kind.SNAPSHOT ? "snapshot " : "process ") + i.reference() + " of " + i.endpoint() + " is already saved as evidence"
                + " item " + i.id() + " (" + savedLink(i) + ") by " + i.createdBy() + ": nothing was saved again; " + switch (words) {
                    case NONE -> "its note and tags are changed there";
                    case ADDED -> "the note and tags given were added to its own";
                    case REFUSED -> "the note and tags given were not added: only " + i.createdBy() + " or an administrator changes them";
                };
    }

    /** What became of the note and tags given with a save that found the item saved already. */
    enum Words { NONE, ADDED, REFUSED }

    /**
     * Adds the note and tags given with a save to the item that already holds what was saved (fifth try-out: they
     * were dropped unsaid): the note after its own (unless it holds it already), the tags beside its own; when the
     * caller may change them (its author or an administrator).
     */
    private static Words addWords(Scope scope, Item item, String note, List<String> tags) {
        boolean hasNote = note != null && !note.isBlank();
        List<String> given = tags == null ? List.of() : tags;
        if (!hasNote && given.isEmpty()) return Words.NONE;
        if (!item.createdBy().equals(scope.caller().user()) && scope.caller().role() != trailhound.access.Role.ADMINISTRATOR) return Words.REFUSED;
        String own = item.note() == null ? "" : item.note();
        String merged = !hasNote || own.contains(note.strip()) ? null : own.isBlank() ? note.strip() : own + "\n\n" + note.strip();
        java.util.LinkedHashSet<String> allTags = new java.util.LinkedHashSet<>(item.tags());
        allTags.addAll(given);
        scope.savedEvidence().describe(item.id(), merged, List.copyOf(allTags));
        return Words.ADDED;
    }

    private Item save(Scope scope, String kind, String endpoint, List<String> uids, String processKey, String snapshot, String note,
            List<String> tags, String usage) throws IOException {
        SavedEvidence evidence = scope.savedEvidence();
        return switch (kind) {
            case "event" -> evidence.saveEvents(endpoint, uids, note, tags);
            case "process" -> evidence.saveProcess(endpoint, processKey, note, tags);
            case "snapshot" -> {
                if (snapshot == null) throw new BadRequest("a snapshot item needs \"snapshot\": its id");
                yield evidence.saveSnapshot(endpoint, snapshot, note, tags);
            }
            case "file" -> throw new BadRequest("a file is saved from a live connection's file system (Keep as evidence), not here");
            default -> throw new BadRequest("unknown kind '" + kind + "': " + usage);
        };
    }

    private void saveFromForm(Context http) throws IOException {
        String kind = String.valueOf(http.formParam("kind"));
        String endpoint = http.formParam("endpoint");
        if (endpoint == null || endpoint.isBlank()) throw new BadRequest("no endpoint: save from a search, a process or a snapshot");
        Optional<Item> already = alreadySaved(ctx.scope(http), kind, endpoint, http.formParam("process_key"), http.formParam("snapshot"));
        if (already.isPresent()) {
            Words words = addWords(ctx.scope(http), already.get(), http.formParam("note"), splitTags(http.formParam("tags")));
            http.redirect("/evidence/" + (already.get().kind() == Kind.SNAPSHOT ? "snapshots" : "processes") + "?new=" + already.get().id()
                    + "&already=" + (words == Words.NONE ? "1" : words.name().toLowerCase(java.util.Locale.ROOT)), HttpStatus.SEE_OTHER);
            return;
        }
        Item item = save(ctx.scope(http), kind, endpoint, http.formParams("uid"), http.formParam("process_key"), http.formParam("snapshot"),
                http.formParam("note"), splitTags(http.formParam("tags")), "choose rows, a process or a snapshot to save");
        String tab = switch (item.kind()) {
            case EVENT -> "events";
            case PROCESS -> "processes";
            default -> "snapshots";
        };
        http.redirect("/evidence/" + tab + "?new=" + item.id(), HttpStatus.SEE_OTHER);
    }

    private static List<String> splitTags(String text) {
        return text == null ? List.of() : Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * The row's form: only the fields the user changed are sent on (the page gives each box's words as
     * shown, {@code note_was} and {@code tags_was}), so that saving the tags keeps a note another user
     * wrote meanwhile (third try-out); a field changed here and there too is refused (409), saying so.
     */
    private void describeFromForm(Context http) {
        long id = id(http);
        String note = http.formParam("note");
        List<String> tags = splitTags(http.formParam("tags"));
        String noteWas = http.formParam("note_was");
        String tagsWas = http.formParam("tags_was");
        if (noteWas != null || tagsWas != null) {
            Item now = find(http);
            if (noteWas != null && lines(note).equals(lines(noteWas))) note = null; // unchanged here: whatever it is now stays
            if (tagsWas != null && tags.equals(splitTags(tagsWas))) tags = null;
            List<String> clashes = new ArrayList<>();
            if (note != null && noteWas != null && !lines(now.note()).equals(lines(noteWas)) && !lines(now.note()).equals(lines(note))) {
                clashes.add("note");
            }
            if (tags != null && tagsWas != null && !now.tags().equals(splitTags(tagsWas)) && !now.tags().equals(tags)) clashes.add("tags");
            if (!clashes.isEmpty()) {
                throw AccessException.conflict("evidence " + id + "'s " + String.join(" and ", clashes) + " changed since you opened the"
                        + " page (someone else saved " + (clashes.size() == 1 ? "it" : "them") + "): nothing was saved; reload the page to see"
                        + " theirs, then make your change again");
            }
            if (note == null && tags == null) {
                http.redirect(back(http, now), HttpStatus.SEE_OTHER);
                return;
            }
        }
        Item item = ctx.scope(http).savedEvidence().describe(id, note, tags);
        http.redirect(back(http, item), HttpStatus.SEE_OTHER);
    }

    /** A text with its line breaks as {@code \n} (a form sends a box's as {@code \r\n}). */
    private static String lines(String text) {
        return text == null ? "" : text.replace("\r\n", "\n");
    }

    private void removeFromForm(Context http) throws IOException {
        Item item = find(http);
        ctx.scope(http).savedEvidence().remove(item.id());
        http.redirect(back(http, item), HttpStatus.SEE_OTHER);
    }

    /** The tab the form was sent from (a local path only), else the item's. */
    private static String back(Context http, Item item) {
        String from = http.formParam("back");
        if (from != null && from.startsWith("/evidence/") && !from.startsWith("//")) return from;
        return switch (item.kind()) {
            case EVENT -> "/evidence/events";
            case PROCESS -> "/evidence/processes";
            case FILE -> "/evidence/files";
            case SNAPSHOT -> "/evidence/snapshots";
        };
    }

    private void apiDescribe(Context http) {
        JsonNode body = ctx.jsonBody(http);
        String usage = "expected {\"note\": text, \"tags\": [...]}, either or both (what is left out stays as it is; null clears it)";
        if (!body.isObject() || !body.has("note") && !body.has("tags")) throw new BadRequest(usage);
        WebContext.knownFields(body, "a change of note and tags", "note", "tags");
        // fourth try-out: {"note": null, "tags": null} cleared the tags and kept the note; null clears either
        String note = !body.has("note") ? null : body.get("note").isNull() ? "" : text(body, "note", usage);
        List<String> tags = !body.has("tags") ? null : body.get("tags").isNull() ? List.of() : WebContext.strings(body, "tags", usage);
        http.json(json(ctx.scope(http).savedEvidence().describe(id(http), note, tags)));
    }

    private void apiRemove(Context http) throws IOException {
        long id = id(http);
        try {
            ctx.scope(http).savedEvidence().remove(id);
        } catch (IllegalStateException e) {
            throw new io.javalin.http.HttpResponseException(409, e.getMessage() + " (POST /api/v1/evidence/" + id + "/cancel), then remove it");
        }
        http.json(Map.of("deleted", id));
    }

    private void apiEvents(Context http) {
        Item item = find(http);
        List<Map<String, String>> events = ctx.scope(http).savedEvidence().events(item.id()).stream().map(SavedEvidencePages::display).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("item", json(item));
        m.put("events", events);
        http.json(m);
    }

    /** A saved event as outputs show it: {@code ts} as ISO-8601 UTC. */
    static Map<String, String> display(Map<String, String> fields) {
        Map<String, String> m = new LinkedHashMap<>(fields);
        String ts = m.get(Field.TS.canonicalName());
        if (ts != null) {
            try {
                m.put(Field.TS.canonicalName(), Event.formatTime(Long.parseLong(ts)));
            } catch (NumberFormatException keep) {
                // kept as saved
            }
        }
        return m;
    }

    /** {@code GET /api/v1/evidence/{id}} for an item that is no file (files answer as {@link EvidencePages} always did). */
    void one(Context http, Item item) {
        http.json(json(item));
    }

    /** The download of an item that is no file: events and processes as CSV and JSON, a snapshot as its database, encrypted. */
    void download(Context http) throws IOException {
        Item item = find(http);
        if (item.kind() == Kind.FILE) {
            http.redirect("/evidence/files/" + item.id() + "/download", HttpStatus.SEE_OTHER);
            return;
        }
        download(http, item);
    }

    void download(Context http, Item item) throws IOException {
        SavedEvidence evidence = ctx.scope(http).savedEvidence();
        String base = "evidence_" + item.id() + "_" + item.kind().label();
        if (item.kind() == Kind.SNAPSHOT) {
            Path copy = evidence.snapshotCopy(item.id());
            evidence.download(item, "its snapshot database in an encrypted ZIP");
            if (!Files.isRegularFile(copy)) {
                throw new io.javalin.http.HttpResponseException(410, "evidence " + item.id() + " is recorded but its copy " + copy
                        + " is gone from the data folder");
            }
            attachment(http, base);
            EvidenceZip.write(copy, EvidenceZip.entryName(item.reference() + ".db"), item.createdAt(), http.outputStream());
            return;
        }
        List<Map<String, String>> events = evidence.download(item, "CSV and JSON in an encrypted ZIP");
        attachment(http, base);
        try (EncryptedZip zip = EncryptedZip.to(http.outputStream(), false)) {
            BufferedWriter text = new BufferedWriter(new OutputStreamWriter(zip.entry(base + ".csv", item.createdAt()), StandardCharsets.UTF_8));
            text.write(EventCsv.BYTE_ORDER_MARK);
            EventCsv csv = new EventCsv(text);
            for (Map<String, String> e : events) csv.write(event(e));
            csv.flush();
            text.flush();
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("item", json(item));
            doc.put("events", events.stream().map(SavedEvidencePages::display).toList());
            PRETTY.writeValue(new java.io.FilterOutputStream(zip.entry(base + ".json", item.createdAt())) {
                @Override
                public void close() throws IOException {
                    flush(); // the ZIP goes on
                }
            }, doc);
        }
    }

    private static void attachment(Context http, String base) {
        http.contentType("application/zip");
        http.header("Content-Disposition", "attachment; filename=\"" + base + ".zip\"");
    }

    /** A saved event's fields as an event again (a field this version does not know is left out of the CSV, kept in the JSON). */
    private static Event event(Map<String, String> fields) {
        Event.Builder b = Event.builder();
        fields.forEach((name, value) -> Field.byName(name).ifPresent(f -> b.set(f, value)));
        return b.build();
    }

    private Item find(Context http) {
        try {
            return ctx.scope(http).savedEvidence().find(id(http)).orElseThrow(() -> new NotFoundResponse(unknown(http.pathParam("id"))));
        } catch (AccessException e) {
            throw new NotFoundResponse(unknown(http.pathParam("id")));
        }
    }

    private static long id(Context http) {
        try {
            return Long.parseLong(http.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse(unknown(http.pathParam("id")));
        }
    }

    private static String unknown(String id) {
        return "no evidence " + id + " among the items you may see; GET /api/v1/evidence lists them";
    }

    private static String text(JsonNode body, String field, String usage) {
        JsonNode n = body.path(field);
        if (n.isMissingNode() || n.isNull()) return null;
        if (!n.isTextual()) throw new BadRequest("'" + field + "' must be text: " + usage);
        return n.asText();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** An item as the API answers it. */
    static Map<String, Object> json(Item i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("kind", i.kind().label());
        m.put("endpoint", i.endpoint());
        m.put("title", i.title());
        m.put("reference", i.reference());
        m.put("note", i.note());
        m.put("tags", i.tags());
        m.put("event_count", i.eventCount());
        m.put("created_by", i.createdBy());
        m.put("created_at", Event.formatTime(i.createdAt()));
        m.put("updated_at", Event.formatTime(i.updatedAt()));
        return m;
    }

    /** The items of {@code GET /api/v1/evidence}, filtered by its query parameters. */
    static List<Map<String, Object>> items(Scope scope, Context http) {
        String kind = blankToNull(http.queryParam("kind"));
        Kind k;
        try {
            k = kind == null ? null : Kind.of(kind);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        return scope.savedEvidence().list(new EvidenceItems.Filter(k, blankToNull(http.queryParam("endpoint")),
                blankToNull(http.queryParam("tag")), blankToNull(http.queryParam("user")))).stream().map(SavedEvidencePages::json).toList();
    }

    /** An item id to highlight ({@code ?new=}), else null: the page links it, so nothing else is taken. */
    private static String highlight(String id) {
        return id != null && id.matches("[0-9]{1,18}") ? id : null;
    }
}
