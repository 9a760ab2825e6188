package trailhound.web.evidence;

import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.access.Action;
import trailhound.store.EvidenceFiles;
import trailhound.store.EvidenceFiles.EvidenceFile;
import trailhound.web.PageChrome;
import trailhound.web.Routes;
import trailhound.web.WebContext;
import trailhound.web.live.FilePull;

/**
 * Saved evidence files: the JSON API and Saved Evidence > Files. Times ISO-8601 UTC, sizes bytes.
 * <ul>
 * <li>{@code GET /api/v1/evidence}: {@code {"files": [...]}}, newest first, each {@code {"id", "endpoint",
 *     "path", "name", "size", "sha256", "state" (transferring, cancelling, complete, failed, cancelled), "reason", "created_by",
 *     "created_at", "completed_at", "progress": {"state" (queued, starting, transferring, waiting), "received", "size" (null until
 *     known), "resumes", "ahead" (queued: transfers before it), "away_since" (waiting: when its agent went away), "text" (as the
 *     page says it)} or null, "note", "tags"}}; only files of endpoints the caller sees. The query parameters
 *     {@code endpoint}, {@code tag}, {@code user} and {@code kind} filter them as they filter {@code "items"}
 *     ({@link SavedEvidencePages}); a kind other than {@code file} lists none.
 * <li>{@code GET /api/v1/evidence/{id}}: one of them (404 when unknown or not the caller's).
 * <li>Saved items of the other kinds (events, processes, snapshots) share these ids and routes: see {@link SavedEvidencePages}.
 * <li>{@code GET /api/v1/evidence/{id}/download}: the file in a ZIP encrypted with AES-256, password
 *     {@value EvidenceZip#PASSWORD}, its name readable without it (analysts and administrators; audited);
 *     409 while the file is not complete.
 * <li>{@code POST /api/v1/evidence/{id}/cancel}: stops a running transfer: {@code cancelling} at once, until the agent answers; it ends cancelled ("cancelled by
 *     ...") and leaves no file; 202 {@code {"evidence_id", "state"}}, 409 when it is not running.
 * <li>{@code DELETE /api/v1/evidence/{id}}: deletes a complete, failed or cancelled file (its copy and its row);
 *     {@code {"deleted": id}}, 409 while it transfers (cancel it first).
 * <li>Cancel and delete are for the analyst who kept the file or an administrator (403 otherwise); both audited.
 * <li>{@code GET /evidence/files}: the page; {@code POST /evidence/files/{id}/cancel} and
 *     {@code POST /evidence/files/{id}/delete}: its buttons.
 * </ul>
 */
public final class EvidencePages {
    private final WebContext ctx;
    private final EvidenceTransfers transfers;

    private EvidencePages(WebContext ctx, EvidenceTransfers transfers) {
        this.ctx = ctx;
        this.transfers = transfers;
    }

    public static void register(Routes routes, WebContext ctx, EvidenceTransfers transfers) {
        EvidencePages p = new EvidencePages(ctx, transfers);
        routes.get("/api/v1/evidence", Action.VIEW, p::list);
        routes.get("/api/v1/evidence/{id}", Action.VIEW, p::one);
        routes.get("/api/v1/evidence/{id}/download", Action.EXPORT, p::download);
        routes.get("/evidence/files", Action.VIEW, p::page);
        routes.get("/evidence/files/{id}/download", Action.EXPORT, p::download);
        routes.post("/api/v1/evidence/{id}/cancel", Action.INVESTIGATE, p::cancelJson);
        routes.post("/evidence/files/{id}/cancel", Action.INVESTIGATE, p::cancelForm);
        routes.post("/evidence/files/{id}/delete", Action.INVESTIGATE, p::deleteForm);
    }

    private EvidenceFile cancel(Context http) {
        EvidenceFile f = find(http);
        if (!transfers.cancel(ctx.scope(http), f)) {
            throw new io.javalin.http.HttpResponseException(409, "evidence file " + f.id() + " is " + f.state().label()
                    + ", not transferring: nothing to cancel" + (f.state() == EvidenceFiles.State.TRANSFERRING ? "" : "; delete it instead"));
        }
        return f;
    }

    private void cancelJson(Context http) {
        EvidenceFile f = cancel(http);
        http.status(202).json(Map.of("evidence_id", f.id(), "state", "cancelling"));
    }

    private void cancelForm(Context http) {
        EvidenceFile f = cancel(http);
        http.redirect("/evidence/files?new=" + f.id());
    }

    private EvidenceFile delete(Context http) throws IOException {
        EvidenceFile f = find(http);
        if (f.state() == EvidenceFiles.State.TRANSFERRING) {
            throw new io.javalin.http.HttpResponseException(409, "evidence file " + f.id() + " is still transferring: cancel it first"
                    + " (POST /api/v1/evidence/" + f.id() + "/cancel), then delete it");
        }
        ctx.scope(http).evidence().delete(f);
        return f;
    }

    private void deleteForm(Context http) throws IOException {
        delete(http);
        http.redirect("/evidence/files");
    }

    /**
     * Saved Evidence > Files: the rows, whether the caller may download and describe (note, tags), the
     * filter as chosen and its choices (as the other tabs').
     */
    public record FilesPage(PageChrome chrome, List<Row> rows, boolean mayDownload, boolean mayEdit, String highlight, String endpoint,
            String tag, String user, List<String> endpoints, List<String> tags, List<String> users) {}

    /**
     * One file as the page shows it; {@code progress} like "40 % (400 MB of 1 GB)" while it transfers;
     * {@code mayChange} whether the caller may cancel or delete it.
     */
    public record Row(EvidenceFile file, String state, String size, String createdAt, String progress, boolean mayChange, String note,
            List<String> tagList) {
        public String tags() {
            return String.join(", ", tagList);
        }

        public boolean complete() {
            return file.state() == EvidenceFiles.State.COMPLETE;
        }

        public boolean transferring() {
            return file.state() == EvidenceFiles.State.TRANSFERRING;
        }

        public boolean cancelling() {
            return state.equals("cancelling");
        }

        /** The state as the page writes it beside the progress: nothing when the progress says it all (queued, waiting for the agent). */
        public String label() {
            return progress.startsWith("queued") || progress.startsWith("waiting") ? "" : state;
        }
    }

    private void page(Context http) {
        var scope = ctx.scope(http);
        var evidence = scope.evidence();
        // the tabs' filters (SavedEvidencePages): endpoint, who kept it, a tag given to its item
        String endpoint = blank(http.queryParam("endpoint"));
        String user = blank(http.queryParam("user"));
        String tag = blank(http.queryParam("tag"));
        Map<Long, trailhound.store.EvidenceItems.Item> items = fileItems(scope);
        List<EvidenceFile> files = evidence.list();
        List<Row> rows = files.stream()
                .filter(f -> endpoint.isEmpty() || f.endpoint().equals(endpoint))
                .filter(f -> user.isEmpty() || f.createdBy().equals(user))
                .filter(f -> tag.isEmpty() || items.containsKey(f.id()) && items.get(f.id()).tags().stream().anyMatch(tag::equalsIgnoreCase))
                .map(f -> {
                    var item = items.get(f.id());
                    return new Row(f, state(f), f.size() == null ? "" : bytes(f.size()), trailhound.web.Format.utc(f.createdAt()),
                            progressText(f.id()), evidence.mayChange(f),
                            item == null ? "" : item.note(), item == null ? List.of() : item.tags());
                }).toList();
        ctx.render(http, "evidence/files.jte", new FilesPage(ctx.chrome(http, "Saved evidence: files"), rows,
                scope.may(Action.EXPORT), scope.may(Action.INVESTIGATE), http.queryParam("new"), endpoint, tag, user,
                files.stream().map(EvidenceFile::endpoint).distinct().sorted().toList(),
                items.values().stream().flatMap(i -> i.tags().stream()).distinct().sorted().toList(),
                files.stream().map(EvidenceFile::createdBy).distinct().sorted().toList()));
    }

    private static String blank(String s) {
        return s == null ? "" : s.strip();
    }

    /** Where a running transfer stands, in words; "" when none runs for {@code id}. */
    private String progressText(long id) {
        var ahead = transfers.ahead(id);
        if (ahead.isPresent()) return queuedText(ahead.getAsInt());
        return transfers.progress(id).map(EvidencePages::progressText).orElse("");
    }

    /** "queued (2 ahead)": a transfer or capture waiting for a worker. */
    public static String queuedText(int ahead) {
        return "queued (" + ahead + " ahead)";
    }

    /**
     * "40 % (400 MiB of 1 GiB)"; "waiting for the agent (away since 12:34:56 UTC)" while its agent is away (third try-out:
     * it showed the last percentage as if it moved); "asking the agent" before the agent has said the file's size.
     */
    static String progressText(FilePull.Progress p) {
        String resumed = p.resumes() > 0 ? ", resumed " + p.resumes() + (p.resumes() == 1 ? " time" : " times") : "";
        String moved = p.size() < 0 ? "" : (p.size() == 0 ? 100 : p.received() * 100 / p.size()) + " % (" + bytes(p.received()) + " of "
                + bytes(p.size()) + ")";
        if (p.awaySince() != null) {
            return "waiting for the agent (away since " + awayTime(p.awaySince()) + ")" + (moved.isEmpty() ? "" : "; " + moved + " received")
                    + resumed;
        }
        if (p.size() < 0) return "asking the agent for the file's size and SHA-256";
        return moved + resumed;
    }

    /** A time of day in UTC, "12:34:56 UTC": when an agent went away (today, in a transfer's row). */
    public static String awayTime(long millis) {
        return java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC).format(Instant.ofEpochMilli(millis));
    }

    /** Bytes in binary units, one decimal: "1.5 MiB". */
    public static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /**
     * Both lists under the same filters ({@code endpoint}, {@code tag}, {@code user}, {@code kind}): try-out, the files were
     * listed whatever the filters said, and without their note and tags.
     */
    private void list(Context http) {
        var scope = ctx.scope(http);
        List<Map<String, Object>> items = SavedEvidencePages.items(scope, http);
        String kind = blank(http.queryParam("kind"));
        String endpoint = blank(http.queryParam("endpoint"));
        String user = blank(http.queryParam("user"));
        String tag = blank(http.queryParam("tag"));
        Map<Long, trailhound.store.EvidenceItems.Item> fileItems = fileItems(scope);
        List<Map<String, Object>> files = !kind.isEmpty() && !kind.equalsIgnoreCase("file") ? List.of() : scope.evidence().list().stream()
                .filter(f -> endpoint.isEmpty() || f.endpoint().equals(endpoint))
                .filter(f -> user.isEmpty() || f.createdBy().equals(user))
                .filter(f -> tag.isEmpty() || fileItems.containsKey(f.id()) && fileItems.get(f.id()).tags().stream().anyMatch(tag::equalsIgnoreCase))
                .map(f -> json(f, fileItems.get(f.id()))).toList();
        http.json(Map.of("files", files, "items", items));
    }

    /** The saved-evidence items of the caller's files, by id: each file's note and tags. */
    private static Map<Long, trailhound.store.EvidenceItems.Item> fileItems(trailhound.access.Scope scope) {
        Map<Long, trailhound.store.EvidenceItems.Item> items = new java.util.HashMap<>();
        for (var i : scope.savedEvidence().list(new trailhound.store.EvidenceItems.Filter(trailhound.store.EvidenceItems.Kind.FILE, null, null,
                null))) {
            items.put(i.id(), i);
        }
        return items;
    }

    private void one(Context http) {
        var item = savedItem(http);
        if (item != null) {
            new SavedEvidencePages(ctx).one(http, item);
            return;
        }
        EvidenceFile f = find(http);
        http.json(json(f, ctx.scope(http).savedEvidence().find(f.id()).orElse(null)));
    }

    /** The saved item of {@code {id}} when it is one of the other kinds (events, process, snapshot); null for a file. */
    private trailhound.store.EvidenceItems.Item savedItem(Context http) {
        try {
            return ctx.scope(http).savedEvidence().find(Long.parseLong(http.pathParam("id")))
                    .filter(i -> i.kind() != trailhound.store.EvidenceItems.Kind.FILE).orElse(null);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private EvidenceFile find(Context http) {
        long id;
        try {
            id = Long.parseLong(http.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse(unknown(http.pathParam("id")));
        }
        return ctx.scope(http).evidence().find(id).orElseThrow(() -> new NotFoundResponse(unknown(http.pathParam("id"))));
    }

    private static String unknown(String id) {
        return "no evidence " + id + " among the items you may see; GET /api/v1/evidence lists them";
    }

    private void download(Context http) throws IOException {
        var item = savedItem(http);
        if (item != null) {
            new SavedEvidencePages(ctx).download(http, item);
            return;
        }
        EvidenceFile f = find(http);
        if (f.state() != EvidenceFiles.State.COMPLETE) {
            throw new io.javalin.http.HttpResponseException(409, "evidence file " + f.id() + " is " + f.state().label()
                    + (f.reason() == null ? "" : " (" + f.reason() + ")") + ": only a complete, verified file can be downloaded");
        }
        Path file = ctx.scope(http).evidence().download(f);
        if (!Files.isRegularFile(file)) {
            throw new io.javalin.http.HttpResponseException(410, "evidence file " + f.id() + " is recorded but its copy " + file
                    + " is gone from the data folder");
        }
        http.contentType("application/zip");
        http.header("Content-Disposition", EvidenceZip.contentDisposition(EvidenceZip.entryName(f.name()) + ".zip"));
        EvidenceZip.write(file, f.name(), nameBytes(f), f.completedAt() == null ? f.createdAt() : f.completedAt(), http.outputStream());
    }

    /** The exact bytes of the name of a file whose path was not UTF-8 (after its last '/'), else null. */
    static byte[] nameBytes(EvidenceFile f) {
        byte[] path = f.pathBytes();
        if (path == null) return null;
        int cut = path.length;
        while (cut > 0 && path[cut - 1] != '/') cut--;
        return java.util.Arrays.copyOfRange(path, cut, path.length);
    }

    /**
     * The state as shown: {@code cancelling} from the cancel until the transfer stops (the agent may be
     * hashing the file: it answers only then), never stored; it then ends cancelled, "cancelled by USER".
     */
    private String state(EvidenceFile f) {
        return f.state() == EvidenceFiles.State.TRANSFERRING && transfers.cancelling(f.id()) ? "cancelling" : f.state().label();
    }

    /** A file as the API lists it; {@code item} its saved-evidence item (note and tags), null when there is none. */
    private Map<String, Object> json(EvidenceFile f, trailhound.store.EvidenceItems.Item item) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("endpoint", f.endpoint());
        m.put("path", f.path());
        m.put("name", f.name());
        if (f.pathBytes() != null) m.put("path64", trailhound.web.live.LiveFiles.carried(f.pathBytes())); // the exact bytes: not UTF-8
        m.put("size", f.size());
        m.put("sha256", f.sha256());
        m.put("state", state(f));
        m.put("reason", f.reason());
        m.put("created_by", f.createdBy());
        m.put("created_at", Instant.ofEpochMilli(f.createdAt()).toString());
        m.put("completed_at", f.completedAt() == null ? null : Instant.ofEpochMilli(f.completedAt()).toString());
        m.put("note", item == null ? "" : item.note());
        m.put("tags", item == null ? List.of() : item.tags());
        var ahead = transfers.ahead(f.id());
        m.put("progress", transfers.progress(f.id()).map(p -> {
            Map<String, Object> pm = new LinkedHashMap<>();
            // third try-out: a queued transfer said "starting" with size -1, and one whose agent was away seemed to move
            pm.put("state", ahead.isPresent() ? "queued" : p.awaySince() != null ? "waiting" : p.size() < 0 ? "starting" : "transferring");
            pm.put("received", p.received());
            pm.put("size", p.size() < 0 ? null : p.size());
            pm.put("resumes", p.resumes());
            if (ahead.isPresent()) pm.put("ahead", ahead.getAsInt());
            if (p.awaySince() != null) pm.put("away_since", Instant.ofEpochMilli(p.awaySince()).toString());
            pm.put("text", ahead.isPresent() ? queuedText(ahead.getAsInt()) : progressText(p));
            return pm;
        }).orElse(null));
        return m;
    }
}
