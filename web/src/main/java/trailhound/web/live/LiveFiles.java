package trailhound.web.live;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.access.Action;
import trailhound.access.AuditLog;
import trailhound.access.Scope;
import trailhound.protocol.Message;
import trailhound.protocol.PathBytes;
import trailhound.protocol.Protocol;
import trailhound.store.EvidenceFiles.EvidenceFile;
import trailhound.web.BadRequest;
import trailhound.web.Format;
import trailhound.web.PageChrome;
import trailhound.web.Routes;
import trailhound.web.WebContext;
import trailhound.web.evidence.EvidenceTransfers;

/**
 * A connected endpoint's file system and processes, over its live connection {@code {id}}: browse,
 * keep a file as evidence, delete a file (administrators), kill a process (analysts and
 * administrators). The connection must be open and on an endpoint the caller sees (404 otherwise);
 * the endpoint's agent must be connected (409) and speak protocol 3 (409, "upgrade it"). Every
 * action is audited ({@code live.files.list}, {@code live.files.delete}, {@code live.process.kill};
 * evidence through the access layer). Times ISO-8601 UTC, sizes bytes.
 * <ul>
 * <li>{@code GET /api/v1/live/connections/{id}/files?path=&page=&sort=&order=}: a page ({@value #PAGE_SIZE}
 *     entries, {@code page} from 1) of the folder {@code path} (default: the first root, {@code /} or
 *     {@code C:\}), sorted by {@code sort} (name, type, size, created, modified, permissions, owner) in
 *     {@code order} (asc, desc): {@code {"connection", "endpoint", "path", "parent", "roots", "sort",
 *     "order", "page", "pages", "page_size", "total", "entries": [{"name", "path", "type" (file, directory,
 *     link, other), "size", "created", "modified", "permissions", "owner", "target"}]}}.
 * <li>{@code POST /api/v1/live/connections/{id}/files/evidence} with {@code {"path": P}}: starts fetching
 *     the file into the evidence store; 202 {@code {"evidence_id", "state"}}; follow it at
 *     {@code GET /api/v1/evidence/{evidence_id}}.
 * <li>{@code DELETE /api/v1/live/connections/{id}/files?path=}: deletes a file or an empty folder
 *     (administrators; an administrator's API token may); {@code {"deleted": resolved path, "detail"}}.
 * <li>{@code POST /api/v1/live/connections/{id}/processes/{pid}/kill}, optional body
 *     {@code {"process_path": P}} (refused when the pid now runs another executable):
 *     {@code {"killed": pid, "detail"}}.
 * </ul>
 * Agent refusals answer 403 (outside the allowed roots, denied), 404 (no such file or process), 400
 * (wrong type), 502 (the endpoint's I/O failed) and 504 (no answer in time), each with the agent's sentence.
 */
public final class LiveFiles {
    static final int PAGE_SIZE = 1_000;
    /** The largest page a listing may ask for (an int); one past a folder's end answers that folder's last page. */
    static final int MAX_PAGE = Integer.MAX_VALUE;
    static final Duration LIST_TIMEOUT = Duration.ofSeconds(60);
    static final Duration ACT_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long past a kill's or delete's deadline the server still waits: an agent that began just before
     * it has this long to answer, so a "failed" is never said of something done.
     */
    static final Duration DEADLINE_GRACE = Duration.ofSeconds(5);

    private final WebContext ctx;
    private final LiveConnections connections;
    private final AgentRequests requests;
    private final EvidenceTransfers transfers;

    private LiveFiles(WebContext ctx, LiveConnections connections, AgentRequests requests, EvidenceTransfers transfers) {
        this.ctx = ctx;
        this.connections = connections;
        this.requests = requests;
        this.transfers = transfers;
    }

    public static void register(Routes routes, WebContext ctx, LiveConnections connections, AgentRequests requests,
            EvidenceTransfers transfers) {
        LiveFiles f = new LiveFiles(ctx, connections, requests, transfers);
        routes.get("/api/v1/live/connections/{id}/files", Action.INVESTIGATE, f::listJson);
        routes.post("/api/v1/live/connections/{id}/files/evidence", Action.INVESTIGATE, f::evidenceJson);
        routes.deleteForScripts("/api/v1/live/connections/{id}/files", Action.ADMINISTER, f::deleteJson);
        routes.post("/api/v1/live/connections/{id}/processes/{pid}/kill", Action.INVESTIGATE, f::killJson);
        routes.get("/live/connections/{id}/files", Action.INVESTIGATE, f::browsePage);
        routes.post("/live/connections/{id}/files/evidence", Action.INVESTIGATE, f::evidenceForm);
        routes.get("/live/connections/{id}/files/delete", Action.ADMINISTER, f::deleteConfirm);
        routes.post("/live/connections/{id}/files/delete", Action.ADMINISTER, f::deleteForm);
        routes.get("/live/connections/{id}/processes/{pid}/kill", Action.INVESTIGATE, f::killConfirm);
        routes.post("/live/connections/{id}/processes/{pid}/kill", Action.INVESTIGATE, f::killForm);
        routes.get("/endpoints/{endpoint}/live/files", Action.INVESTIGATE, f::browseEndpoint);
        routes.get("/endpoints/{endpoint}/live/kill", Action.INVESTIGATE, f::killEndpoint);
    }

    // --- the connection and the agent

    /** The caller's open connection {@code {id}}; 404 when unknown or not the caller's, 409 when closed. */
    private LiveConnections.View connection(Context http, Scope scope) {
        String id = http.pathParam("id");
        LiveConnections.View v = connections.find(scope, id).orElseThrow(() -> new NotFoundResponse("no live connection '" + id
                + "' among yours: GET /api/v1/live/connections lists them; connect on Live endpoints"));
        LiveConnections.requireOwn(scope, v);
        if (!v.state().open()) {
            throw new HttpResponseException(409, "live connection " + id + " to " + v.endpoint() + " is " + v.state().label() + " ("
                    + v.reason() + "): connect again on Live endpoints");
        }
        connections.activity(v.endpoint());
        return v;
    }

    /** An agent's failure as an HTTP answer, audited when it was an action. */
    private static HttpResponseException http(AgentRequests.RequestException e) {
        int status = switch (e.code()) {
            case OFFLINE, DISCONNECTED, TOO_OLD -> 409;
            case TIMEOUT, UNKNOWN -> 504;
            case INTERRUPTED -> 503;
            case FAILED -> switch (e.agentCode() == null ? "" : e.agentCode()) {
                case "refused" -> 403;
                case "not_found" -> 404;
                case "expired" -> 504;
                case "wrong_type", "bad_request" -> 400;
                default -> 502;
            };
        };
        return new HttpResponseException(status, e.getMessage());
    }

    /** When an agent must have begun a kill or delete asked now (epoch ms, this server's clock), or refuse it. */
    private static long deadline() {
        return System.currentTimeMillis() + ACT_TIMEOUT.toMillis();
    }

    /** An action's audit outcome: unknown when an old agent may still carry it out. */
    private static String outcome(AgentRequests.RequestException e) {
        return e.code() == AgentRequests.Code.UNKNOWN ? AuditLog.UNKNOWN : AuditLog.FAILED;
    }

    private String host(String endpoint) {
        return ctx.access().agents().endpoint(endpoint).map(e -> e.hostname() == null || e.hostname().equals(endpoint) ? endpoint
                : endpoint + " (" + e.hostname() + ")").orElse(endpoint);
    }

    // --- listing

    /** A page of a folder as the API and the page show it. */
    public record Folder(String connection, String endpoint, String path, String parent, List<String> roots, String sort, boolean descending,
            int page, int pages, long total, List<Entry> entries, byte[] pathBytes, byte[] parentBytes, String note) {
        /** Whether {@code page} is past the last one: no entries to show, the last page to offer. */
        public boolean pastLast() {
            return page > pages;
        }

        /** What a page past the last says; null on any other. */
        public String pastLastMessage() {
            return !pastLast() ? null : "there is nothing at page " + page + ": " + path + " has " + totalShown() + (total == 1 ? " entry"
                    : " entries") + " in " + Format.count(pages) + (pages == 1 ? " page" : " pages") + "; the last is page " + pages;
        }

        /** The entries listed, as the page and the note write numbers: "81,100". */
        public String totalShown() {
            return Format.count(total);
        }
    }

    /**
     * One entry; {@code path} the entry's whole path on the endpoint as people read it ({@code \xFF} for each
     * byte that is not UTF-8), {@code pathBytes} and {@code nameBytes} exactly. {@code created} null where the
     * file system keeps no birth time (Java reports those as 0, which would read as 1970-01-01).
     */
    public record Entry(String name, String path, String type, Long size, Long created, Long modified, String permissions, String owner,
            String target, byte[] pathBytes, byte[] nameBytes) {
        public Entry {
            if (created != null && created == 0) created = null;
        }

        public boolean folder() {
            return "directory".equals(type);
        }

        /** Whether the name was not UTF-8 on the endpoint. */
        public boolean notUtf8() {
            return !PathBytes.utf8(nameBytes);
        }
    }

    private static String f0(Context http, String name, String fallback) {
        String v = http.queryParam(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private Folder folder(Context http, Scope scope, LiveConnections.View v) {
        return folder(scope, v, queryPath(http), f0(http, "sort", "name"), f0(http, "order", "asc"), page(http));
    }

    /** {@code path}: the exact bytes of the folder (null: the first root). */
    private Folder folder(Scope scope, LiveConnections.View v, byte[] path, String sort, String order, int page) {
        if (!Protocol.SORT_KEYS.contains(sort)) throw new BadRequest("parameter 'sort' must be one of " + Protocol.SORT_KEYS + ", not '" + sort + "'");
        if (!order.equals("asc") && !order.equals("desc")) throw new BadRequest("parameter 'order' must be asc or desc, not '" + order + "'");
        Message.Listing l;
        try {
            // a page far past any folder's end (page=3000000) is asked as the largest offset the protocol carries: the agent
            // answers the total and no entries, and the caller is told which page is the last
            int offset = (int) Math.min((page - 1L) * PAGE_SIZE, Integer.MAX_VALUE - PAGE_SIZE);
            l = requests.ask(v.endpoint(), id -> new Message.ListFiles(id, PathBytes.text(path), sort, order.equals("desc"), offset, PAGE_SIZE,
                    PathBytes.base64(path)), Message.Listing.class, LIST_TIMEOUT);
        } catch (AgentRequests.RequestException e) {
            scope.audit("live.files.list", v.endpoint(), AuditLog.FAILED, (path == null ? "(root)" : PathBytes.escaped(path)) + ": "
                    + e.getMessage());
            throw http(e);
        }
        byte[] at = PathBytes.of(l.path(), l.pathBytes());
        byte[] up = PathBytes.of(l.parent(), l.parentBytes());
        scope.audit("live.files.list", v.endpoint(), AuditLog.OK, PathBytes.escaped(at) + " page " + page);
        List<Entry> entries = new ArrayList<>();
        for (Message.FileEntry e : l.entries()) {
            byte[] name = PathBytes.of(e.name(), e.nameBytes());
            byte[] whole = child(at, name);
            entries.add(new Entry(e.name(), PathBytes.escaped(whole), e.type(), e.size(), e.created(), e.modified(), e.permissions(),
                    e.owner(), e.target(), whole, name));
        }
        int pages = (int) Math.max(1, (l.total() + PAGE_SIZE - 1) / PAGE_SIZE);
        return new Folder(v.id(), v.endpoint(), PathBytes.escaped(at), PathBytes.escaped(up), l.roots(), sort, order.equals("desc"), page,
                pages, l.total(), entries, at, up, l.note());
    }

    /*
     * Paths as bytes, cut and joined at their separators: ISO-8859-1 maps each byte to one char and back, and
     * the separators ('/', '\\', ':') are ASCII, which no byte of a UTF-8 sequence is, so the text operations
     * below work on the exact bytes of any name.
     */

    private static String bytewise(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String bytewise) {
        return bytewise.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The exact bytes of {@code name} inside {@code folder}. */
    static byte[] child(byte[] folder, byte[] name) {
        return bytes(child(bytewise(folder), bytewise(name)));
    }

    /** The exact bytes of the folder holding {@code path}. */
    static byte[] parentOf(byte[] path) {
        return bytes(parentOf(bytewise(path)));
    }

    /** {@code name} inside {@code folder}, in the endpoint's own syntax ({@code /} or {@code \}). */
    static String child(String folder, String name) {
        String sep = folder.contains("\\") && !folder.contains("/") ? "\\" : "/";
        return folder.endsWith(sep) ? folder + name : folder + sep + name;
    }

    /** The {@code page} asked for, 1 when none; 400 naming the range allowed. */
    private static int page(Context http) {
        String v = http.queryParam("page");
        if (v == null || v.isBlank()) return 1;
        // third try-out: page=99999999999 was "must be a whole number", which it is; the range was not said
        long n = v.strip().matches("[0-9]{1,10}") ? Long.parseLong(v.strip()) : -1;
        if (n < 1 || n > MAX_PAGE) {
            throw new BadRequest(String.format(java.util.Locale.ROOT, "parameter 'page' must be a whole number from 1 to %,d, not '%s':"
                    + " the listing says how many pages the folder has (%,d entries a page)", MAX_PAGE, v, PAGE_SIZE));
        }
        return (int) n;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /**
     * A path carried through an HTML form losslessly: the UTF-8 of the agent's name in base64url. A form
     * field would not do, since browsers send every line break as CRLF (a name with {@code \n} or
     * {@code \r} would name another file).
     */
    public static String carried(String path) {
        return carried(path.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A path's exact bytes carried through a form or a link: base64url (for a UTF-8 path, of its UTF-8, as {@link #carried(String)}). */
    public static String carried(byte[] path) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(path);
    }

    /** The path of a form: {@code path64} (see {@link #carried}) when sent, else {@code path} as typed; null when neither. */
    private static byte[] formPath(Context http) {
        return path(http.formParam("path64"), http.formParam("path"), "field");
    }

    /** The path of a query: {@code path64} (see {@link #carried}) when given, else {@code path} as typed; null when neither. */
    private static byte[] queryPath(Context http) {
        return path(http.queryParam("path64"), http.queryParam("path"), "parameter");
    }

    private static byte[] path(String b64, String typed, String what) {
        if (b64 == null || b64.isBlank()) {
            String path = pathOrNull(typed);
            return path == null ? null : path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        try {
            byte[] path = java.util.Base64.getUrlDecoder().decode(b64.strip());
            return path.length == 0 ? null : path;
        } catch (IllegalArgumentException e) {
            throw new BadRequest(what + " 'path64' must be the path's bytes (its UTF-8 when it is UTF-8) in base64url, as the Browse file"
                    + " system page sends it");
        }
    }

    /** A query naming {@code path} exactly: {@code path=} the text when it is UTF-8 (readable links), else {@code path64=}. */
    public static String pathQuery(byte[] path) {
        return PathBytes.utf8(path) ? "path=" + Format.url(PathBytes.text(path)) : "path64=" + carried(path);
    }

    /**
     * A name or path as a person reads it, so that no name can break a line, pass for another or hide
     * what it is: control characters (a line break, a carriage return, a tab...) as their visible symbols
     * ({@code ␊ ␍ ␉}); invisible format characters (Unicode category Cf: the bidi controls U+202A-202E
     * and U+2066-2069 that display "txt.exe" reversed, U+200B...) as {@code <U+202E>}; spaces at the
     * start or end of a name, or of a path's part (next to {@code /} or {@code \}), as {@code ␠}
     * ({@code "dup "} beside {@code "dup"}). The character U+FFFD marks bytes that were not UTF-8 on the
     * endpoint. Only for file names and paths: free text (a note, a tag, a command line) goes through
     * {@link #shownText}, where {@code "cmd /c"} holds an ordinary space.
     */
    public static String shownPath(String s) {
        return shown(s, true, true, true);
    }

    /**
     * Free text (a note's line, a tag, a title, a command line, an IOC value) as a person reads it: as
     * {@link #shownPath}, except that only the spaces at the start or end of the whole text show as
     * {@code ␠}; spaces next to {@code /} or {@code \} are ordinary ({@code "cmd.exe /c"}).
     */
    public static String shownText(String s) {
        return shown(s, false, true, true);
    }

    /**
     * A multi-line text (a note) as {@link #shownText} shows it, line by line: its line breaks
     * ({@code \n} or {@code \r\n}) are its own and not marked; spaces show as {@code ␠} only at the
     * start of the first line and the end of the last.
     */
    public static List<String> shownTextLines(String text) {
        String[] lines = (text == null ? "" : text).split("\r?\n", -1);
        List<String> shown = new java.util.ArrayList<>(lines.length);
        for (int i = 0; i < lines.length; i++) shown.add(shown(lines[i], false, i == 0, i == lines.length - 1));
        return shown;
    }

    /** Whether {@link #shownText} changes {@code s}, or it holds U+FFFD: the page marks it "unusual characters". */
    public static boolean unusualText(String s) {
        return s != null && (!shownText(s).equals(s) || s.indexOf('\ufffd') >= 0);
    }

    /** Whether {@link #shownTextLines} changes any line of {@code text}, or it holds U+FFFD. */
    public static boolean unusualTextLines(String text) {
        return text != null && (!String.join("\n", shownTextLines(text)).equals(String.join("\n", text.split("\r?\n", -1)))
                || text.indexOf('\ufffd') >= 0);
    }

    /** {@code pathParts}: a space next to a path separator ends a name; {@code lead}/{@code trail}: spaces at that end are marked. */
    private static String shown(String s, boolean pathParts, boolean lead, boolean trail) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        int[] cps = s.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (c < 0x20) b.appendCodePoint(0x2400 + c);
            else if (c == 0x7f) b.append('\u2421');
            else if (c == 0x85 || c == 0x2028 || c == 0x2029) b.append('\u2424');
            else if (Character.getType(c) == Character.FORMAT || invisible(c)) b.append(String.format("<U+%04X>", c));
            else if (c == ' ' && (lead && spacesOnly(cps, i, -1, pathParts) || trail && spacesOnly(cps, i, 1, pathParts))) b.append('\u2420');
            else b.appendCodePoint(c);
        }
        return b.toString();
    }

    /**
     * Characters that show as nothing or as a plain space, so that "nbsp" and "nbsp\u00a0" look alike (third try-out):
     * every space but the ASCII one (no-break, ideographic...), and the blank letters and marks fonts draw empty.
     */
    private static boolean invisible(int c) {
        return c != ' ' && Character.getType(c) == Character.SPACE_SEPARATOR
                || c == 0x034F || c == 0x115F || c == 0x1160 || c == 0x2800 || c == 0x3164 || c == 0xFFA0;
    }

    /**
     * Whether only spaces lie between {@code cps[at]} and the name's end in {@code step}'s direction: the
     * string's end, or with {@code pathParts} also a path separator.
     */
    private static boolean spacesOnly(int[] cps, int at, int step, boolean pathParts) {
        for (int i = at + step; i >= 0 && i < cps.length; i += step) {
            if (pathParts && (cps[i] == '/' || cps[i] == '\\')) return true;
            if (cps[i] != ' ') return false;
        }
        return true;
    }

    /** What an unusual name holds, for pages that mark one. */
    public static final String UNUSUAL = "it holds characters that would hide what it is, shown as symbols (␊ for a line break, ␠ for a"
            + " space at its start or end, <U+202E> for an invisible or text-reversing character, \\xFF (the byte's value in hex, marked)"
            + " for each byte that is not UTF-8)";

    /** The tooltip of the "unusual" mark (live/unusual.jte), the same on every page that shows names or notes from endpoints and users. */
    public static final String UNUSUAL_TITLE = "It holds characters that would hide what it is, shown as symbols: ␊ for a line break,"
            + " ␠ for a space at its start or end, <U+202E> for an invisible or text-reversing character, \\xFF (its value in hex, marked)"
            + " for a byte that is not UTF-8";

    /** Whether a page marks the path of exact bytes {@code path} as an unusual name: bytes that are not UTF-8, or {@link #unusual}. */
    public static boolean unusual(byte[] path) {
        return path != null && (!PathBytes.utf8(path) || unusual(PathBytes.text(path)));
    }

    /**
     * A name as a person reads it, in parts: each byte that was not UTF-8 on the endpoint its own part
     * ({@code \xFF}, which the page styles as a marker), the rest as {@link #shown}.
     */
    public static List<PathBytes.Part> parts(byte[] name) {
        return PathBytes.parts(name).stream().map(p -> p.badByte() ? p : new PathBytes.Part(shownPath(p.text()), false)).toList();
    }

    /** Whether {@link #shown} changes {@code s}, or it holds U+FFFD: the page marks such a name "unusual name". */
    public static boolean unusual(String s) {
        return s != null && (!shownPath(s).equals(s) || s.indexOf('\ufffd') >= 0);
    }

    /**
     * A path as given, never trimmed: {@code "dup "} and {@code "dup"} are two files (a trailing
     * space is a known way to hide one); null when blank.
     */
    private static String pathOrNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private void listJson(Context http) {
        Scope scope = ctx.scope(http);
        Folder f = folder(http, scope, connection(http, scope));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connection", f.connection());
        body.put("endpoint", f.endpoint());
        body.put("path", f.path());
        if (!PathBytes.utf8(f.pathBytes())) body.put("path64", carried(f.pathBytes()));
        body.put("parent", f.parent());
        body.put("roots", f.roots());
        body.put("sort", f.sort());
        body.put("order", f.descending() ? "desc" : "asc");
        body.put("page", f.page());
        body.put("pages", f.pages());
        body.put("page_size", PAGE_SIZE);
        body.put("total", f.total());
        if (f.note() != null) body.put("note", f.note()); // the folder holds more entries than the agent lists
        if (f.pastLast()) {
            body.put("message", f.pastLastMessage());
            body.put("last_page", "/api/v1/live/connections/" + Format.url(f.connection()) + "/files?path=" + Format.url(f.path()) + "&sort="
                    + f.sort() + "&order=" + (f.descending() ? "desc" : "asc") + "&page=" + f.pages());
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Entry e : f.entries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", e.name());
            m.put("path", e.path());
            if (e.notUtf8()) m.put("path64", carried(e.pathBytes())); // the exact bytes: "path" shows \xFF for each that is not UTF-8
            m.put("type", e.type());
            m.put("size", e.size());
            m.put("created", iso(e.created()));
            m.put("modified", iso(e.modified()));
            m.put("permissions", e.permissions());
            m.put("owner", e.owner());
            m.put("target", e.target());
            entries.add(m);
        }
        body.put("entries", entries);
        http.json(body);
    }

    private static String iso(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }

    /** The Browse File System page: the folder, breadcrumbs, sortable columns, pages. */
    public record BrowsePage(PageChrome chrome, String host, Folder folder, List<Crumb> crumbs, boolean mayDelete, String notice,
            String error, String typed) {
        public String link(String path, String sort, boolean descending, int page) {
            return link(path.getBytes(java.nio.charset.StandardCharsets.UTF_8), sort, descending, page);
        }

        /** The link to the folder of the exact bytes {@code path}. */
        public String link(byte[] path, String sort, boolean descending, int page) {
            return "/live/connections/" + Format.url(folder.connection()) + "/files?" + pathQuery(path) + "&sort=" + sort
                    + "&order=" + (descending ? "desc" : "asc") + (page > 1 ? "&page=" + page : "");
        }

        public String crumbLink(Crumb c) {
            return link(java.util.Base64.getUrlDecoder().decode(c.carried()), folder.sort(), folder.descending(), 1);
        }

        /** The link to the folder above. */
        public String up() {
            return link(folder.parentBytes(), folder.sort(), folder.descending(), 1);
        }

        /** The link that sorts by {@code key}: ascending, or the other way when already sorted by it. */
        public String sortLink(String key) {
            return link(folder.pathBytes(), key, key.equals(folder.sort()) && !folder.descending(), 1);
        }

        public String ariaSort(String key) {
            return !key.equals(folder.sort()) ? "none" : folder.descending() ? "descending" : "ascending";
        }

        public String open(Entry e) {
            return link(e.pathBytes(), folder.sort(), folder.descending(), 1);
        }

        public String page(int n) {
            return link(folder.pathBytes(), folder.sort(), folder.descending(), n);
        }

        /** The confirmation that deletes {@code e}. */
        public String deleteLink(Entry e) {
            return "/live/connections/" + Format.url(folder.connection()) + "/files/delete?" + pathQuery(e.pathBytes());
        }

        public List<PathBytes.Part> parts(Entry e) {
            return LiveFiles.parts(e.nameBytes());
        }

        /** Whether the page marks {@code e}'s name: control characters, or bytes that are not UTF-8. */
        public boolean unusual(Entry e) {
            return e.notUtf8() || LiveFiles.unusual(e.name());
        }

        public String bytes(Long n) {
            return n == null ? "" : trailhound.web.evidence.EvidencePages.bytes(n);
        }

        public String shownPath(String s) {
            return LiveFiles.shownPath(s);
        }

        public boolean unusual(String s) {
            return LiveFiles.unusual(s);
        }

        public String carried(byte[] path) {
            return LiveFiles.carried(path);
        }

        public String time(Long millis) {
            return millis == null ? "" : Format.utc(millis);
        }
    }

    /** One step of the breadcrumbs: its name and the folder it opens, as people read them, and that folder's bytes {@link #carried}. */
    public record Crumb(String name, String path, String carried) {
        public Crumb(String name, String path) {
            this(name, path, LiveFiles.carried(path));
        }
    }

    static List<Crumb> crumbs(String path) {
        return crumbs(path.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The breadcrumbs of the exact bytes {@code path}. */
    static List<Crumb> crumbs(byte[] path) {
        return bytewiseCrumbs(bytewise(path)).stream().map(c -> new Crumb(PathBytes.escaped(bytes(c.name())), PathBytes.escaped(bytes(c.path())),
                carried(bytes(c.path())))).toList();
    }

    /** Crumbs of a {@link #bytewise} path, in that form. */
    private static List<Crumb> bytewiseCrumbs(String path) {
        boolean windows = path.contains("\\") && !path.contains("/");
        String sep = windows ? "\\" : "/";
        int first = path.indexOf(sep);
        String root = windows ? (first < 0 ? path + sep : path.substring(0, first + 1)) : "/";
        String rest = windows ? (first < 0 ? "" : path.substring(first + 1)) : path.replaceFirst("^/+", "");
        List<Crumb> out = new ArrayList<>();
        out.add(new Crumb(root, root, null));
        String at = root;
        for (String part : rest.split(java.util.regex.Pattern.quote(sep))) {
            if (part.isEmpty()) continue;
            at = at.endsWith(sep) ? at + part : at + sep + part;
            out.add(new Crumb(part, at, null));
        }
        return out;
    }

    private void browsePage(Context http) {
        Scope scope = ctx.scope(http);
        LiveConnections.View v = connection(http, scope);
        String typed = pathOrNull(http.queryParam("path"));
        if (typed == null && http.queryParam("path64") != null) {
            byte[] exact = queryPath(http);
            typed = exact == null ? null : PathBytes.escaped(exact);
        }
        PageChrome chrome = ctx.chrome(http, "Browse file system: " + v.endpoint()).forEndpoint(v.endpoint());
        Folder f;
        String error = null;
        int pageNo;
        try {
            pageNo = page(http);
        } catch (BadRequest e) {
            // fourth try-out: a bare 400 in the API's words; on the page, say it and show the folder's first page
            String asked = http.queryParam("page").strip();
            error = "There is no page " + (asked.length() > 24 ? asked.substring(0, 24) + "…" : asked) + " of this folder: pages are"
                    + " numbered from 1, and the first is shown";
            pageNo = 1;
        }
        try {
            f = folder(scope, v, queryPath(http), f0(http, "sort", "name"), f0(http, "order", "asc"), pageNo);
        } catch (HttpResponseException e) {
            if (e.getStatus() == 409 || e.getStatus() == 504 || typed == null) throw e;
            error = e.getMessage(); // a typed path refused or missing: say so above the root's listing
            f = folder(scope, v, null, f0(http, "sort", "name"), f0(http, "order", "asc"), 1);
        }
        Folder shown = f;
        List<Crumb> crumbs = crumbs(f.pathBytes()).stream() // only the steps the agent lets the analyst open: at or below a root
                .filter(c -> shown.roots().stream().anyMatch(r -> c.path().startsWith(r))).toList();
        ctx.render(http, "live/files.jte", new BrowsePage(chrome, host(v.endpoint()), f, crumbs, scope.may(Action.ADMINISTER),
                notice(http), error, typed));
    }

    /**
     * The page's notice, in our own words from a code ({@code notice=deleted&name=}): never text taken
     * from the link, so that no link can put its own sentence on this page. Null for none or an unknown code.
     */
    static String notice(Context http) {
        String name = http.queryParam("name");
        String code = f0(http, "notice", "");
        // third try-out: a name is any text, so notice=deleted&name=<a sentence> still let a link speak on this page;
        // only the server's own redirect, which signs code and name, shows one
        if (name == null || !java.security.MessageDigest.isEqual(noticeSignature(code, name).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                String.valueOf(http.queryParam("sig")).getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            return null;
        }
        return switch (code) {
            case "deleted" -> name == null ? null : "Deleted " + shownPath(name) + ".";
            case "deleted-link" -> name == null ? null : "Deleted the symbolic link " + shownPath(name) + "; its target is untouched.";
            default -> null;
        };
    }

    /** Signs this server's own notices: a new key at each start (a notice is for the page the redirect opens). */
    private static final javax.crypto.spec.SecretKeySpec NOTICE_KEY = new javax.crypto.spec.SecretKeySpec(
            new java.security.SecureRandom().generateSeed(32), "HmacSHA256");

    /** The signature of a notice (HMAC-SHA256 of code and name, base64url, 22 characters). */
    static String noticeSignature(String code, String name) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(NOTICE_KEY);
            byte[] sig = mac.doFinal((code + '\u0000' + name).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sig).substring(0, 22);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    // --- evidence

    private void evidenceJson(Context http) {
        Scope scope = ctx.scope(http);
        LiveConnections.View v = connection(http, scope);
        com.fasterxml.jackson.databind.JsonNode body = ctx.jsonBody(http);
        com.fasterxml.jackson.databind.JsonNode given = body.path("path");
        com.fasterxml.jackson.databind.JsonNode exact = body.path("path64");
        byte[] path = exact.isTextual() ? path(exact.asText(), null, "field") : given.isTextual() ? path(null, given.asText(), "field") : null;
        if (path == null) {
            throw new BadRequest("send {\"path\": \"/the/file\"}: the file on the endpoint to keep as evidence, as a string"
                    + (given.isMissingNode() || given.isNull() ? "" : ", not " + given)
                    + " (or {\"path64\": B}, the path's bytes in base64url, as listings give a name that is not UTF-8)");
        }
        EvidenceFile f = transfers.start(scope, v.endpoint(), checkedFile(scope, v, path));
        http.status(202).header("Location", "/api/v1/evidence/" + f.id()).json(Map.of("evidence_id", f.id(), "state", f.state().label()));
    }

    private void requireOnline(String endpoint) {
        if (!requests.online(endpoint)) {
            throw http(new AgentRequests.RequestException(AgentRequests.Code.OFFLINE, null, "the agent of " + endpoint
                    + " is not connected to this server: check that it runs and can reach the server, then try again"));
        }
    }

    /**
     * {@code path} as given (a link keeps its own name), once the agent has said it is a regular file the
     * rules allow: a folder, a missing or relative path is refused now (400, 404, 403 with the agent's
     * reason), not accepted and then failed in the background. Refusals are audited.
     */
    private byte[] checkedFile(Scope scope, LiveConnections.View v, byte[] path) {
        requireOnline(v.endpoint());
        scope.require(trailhound.access.Action.INVESTIGATE);
        try {
            Message.FileInfo info = requests.ask(v.endpoint(), id -> new Message.StatFile(id, PathBytes.text(path), false, PathBytes.base64(path)), Message.FileInfo.class,
                    ACT_TIMEOUT);
            if (info.size() > transfers.maxBytes()) { // now, not after a 202 and a failed transfer
                String why = FilePull.tooLarge(PathBytes.escaped(path), info.size(), transfers.maxBytes());
                scope.audit("evidence.fetch", v.endpoint(), AuditLog.FAILED, why);
                throw new HttpResponseException(413, why);
            }
            return path;
        } catch (AgentRequests.RequestException e) {
            scope.audit("evidence.fetch", v.endpoint(), AuditLog.FAILED, PathBytes.escaped(path) + ": " + e.getMessage());
            throw http(e);
        }
    }

    private void evidenceForm(Context http) {
        Scope scope = ctx.scope(http);
        LiveConnections.View v = connection(http, scope);
        byte[] path = formPath(http);
        if (path == null) throw new BadRequest("choose a file to keep as evidence");
        EvidenceFile f = transfers.start(scope, v.endpoint(), checkedFile(scope, v, path));
        http.redirect("/evidence/files?new=" + f.id());
    }

    // --- delete

    /** A confirmation: what will be done, to what, where; the form that does it. */
    public record ConfirmPage(PageChrome chrome, String heading, String question, String action, Map<String, String> fields, String button,
            String cancel) {}

    private void deleteConfirm(Context http) {
        Scope scope = ctx.scope(http);
        LiveConnections.View v = connection(http, scope);
        byte[] path = queryPath(http);
        if (path == null) throw new BadRequest("choose a file to delete");
        String back = "/live/connections/" + Format.url(v.id()) + "/files?" + pathQuery(parentOf(path));
        String shown = shownPath(PathBytes.escaped(path));
        boolean link = "1".equals(http.queryParam("link"));
        String odd = unusual(PathBytes.escaped(path)) || !PathBytes.utf8(path) ? " Its name is unusual: " + UNUSUAL + "." : "";
        String heading = link ? "Delete a symbolic link" : "Delete a file";
        String question = link
                ? "Delete the symbolic link " + shown + " on " + host(v.endpoint()) + "? The link itself is deleted, not the file or"
                        + " folder it points to, which stays as it is." + odd
                : "Delete " + shown + " on " + host(v.endpoint()) + "? The file is gone from the endpoint for good; keep it as evidence"
                        + " first if it may matter." + odd;
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("path64", carried(path));
        if (link) fields.put("link", "1");
        ctx.render(http, "live/confirm.jte", new ConfirmPage(ctx.chrome(http, heading).forEndpoint(v.endpoint()), heading, question,
                "/live/connections/" + Format.url(v.id()) + "/files/delete", fields, (link ? "Delete the link " : "Delete ") + shown, back));
    }

    /** The folder holding {@code path}: {@code /} for {@code /x}, {@code C:\\} for {@code C:\\x}. */
    public static String parentOf(String path) {
        String trimmed = path.length() > 1 ? path.replaceAll("(?<=.)[/\\\\]+$", "") : path;
        int cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
        if (cut < 0) return path;
        String parent = trimmed.substring(0, cut);
        if (parent.isEmpty()) return trimmed.substring(0, 1);
        if (parent.endsWith(":")) return parent + trimmed.charAt(cut);
        return parent;
    }

    private Message.Done delete(Scope scope, LiveConnections.View v, byte[] path) {
        try {
            Message.Done done = requests.ask(v.endpoint(), id -> new Message.DeleteFile(id, PathBytes.text(path), scope.caller().user(),
                    deadline(), PathBytes.base64(path)), Message.Done.class, ACT_TIMEOUT.plus(DEADLINE_GRACE));
            scope.audit("live.files.delete", v.endpoint(), AuditLog.OK, done.detail());
            return done;
        } catch (AgentRequests.RequestException e) {
            scope.audit("live.files.delete", v.endpoint(), outcome(e), PathBytes.escaped(path) + ": " + e.getMessage());
            throw http(e);
        }
    }

    private void deleteJson(Context http) {
        Scope scope = ctx.scope(http);
        LiveConnections.View v = connection(http, scope);
        byte[] path = queryPath(http);
        if (path == null) throw new BadRequest("give the file to delete: ?path=/the/file (or ?path64= its bytes in base64url)");
        Message.Done done = delete(scope, v, path);
        http.json(Map.of("deleted", done.detail().replaceFirst("^deleted ", ""), "detail", done.detail()));
    }

    private void deleteForm(Context http) {
        Scope scope = ctx.scope(http);
        LiveConnections.View v = connection(http, scope);
        byte[] path = formPath(http);
        if (path == null) throw new BadRequest("choose a file to delete");
        delete(scope, v, path);
        boolean link = "1".equals(http.formParam("link"));
        String code = link ? "deleted-link" : "deleted";
        String name = PathBytes.escaped(path);
        http.redirect("/live/connections/" + Format.url(v.id()) + "/files?" + pathQuery(parentOf(path)) + "&notice=" + code + "&name="
                + Format.url(name) + "&sig=" + noticeSignature(code, name));
    }

    // --- kill

    private long pid(Context http) {
        try {
            long pid = Long.parseLong(http.pathParam("pid"));
            if (pid < 1) throw new NumberFormatException();
            return pid;
        } catch (NumberFormatException e) {
            throw new BadRequest("the process id must be a whole number from 1, not '" + http.pathParam("pid") + "'");
        }
    }

    private void killConfirm(Context http) {
        Scope scope = ctx.scope(http);
        LiveConnections.View v = connection(http, scope);
        long pid = pid(http);
        String path = pathOrNull(http.queryParam("path"));
        String back = blankToNull(http.queryParam("back"));
        Map<String, String> fields = new LinkedHashMap<>();
        if (path != null) fields.put("path", path);
        ctx.render(http, "live/confirm.jte", new ConfirmPage(ctx.chrome(http, "Kill a process").forEndpoint(v.endpoint()), "Kill a process",
                "Kill process " + (path == null ? "" : shownPath(path) + " ") + "(pid " + pid + ") on " + host(v.endpoint()) + "? It ends at once,"
                        + " without a chance to save its work.", "/live/connections/" + Format.url(v.id()) + "/processes/" + pid + "/kill",
                fields, "Kill pid " + pid, back != null && back.startsWith("/") && !back.startsWith("//") && !back.contains("\\") ? back : "/live"));
    }

    private Message.Done kill(Scope scope, LiveConnections.View v, long pid, String path) {
        try {
            Message.Done done = requests.ask(v.endpoint(), id -> new Message.KillProcess(id, pid, path, scope.caller().user(), deadline()),
                    Message.Done.class, ACT_TIMEOUT.plus(DEADLINE_GRACE));
            scope.audit("live.process.kill", v.endpoint(), AuditLog.OK, done.detail());
            return done;
        } catch (AgentRequests.RequestException e) {
            scope.audit("live.process.kill", v.endpoint(), outcome(e), "pid " + pid + (path == null ? "" : " (" + path + ")") + ": "
                    + e.getMessage());
            throw http(e);
        }
    }

    private void killJson(Context http) {
        Scope scope = ctx.scope(http);
        LiveConnections.View v = connection(http, scope);
        long pid = pid(http);
        String path = null;
        if (http.body() != null && !http.body().isBlank()) {
            // third try-out: a body that was not JSON killed with no path check; the check the caller asked for is never skipped
            com.fasterxml.jackson.databind.JsonNode body = ctx.jsonBody(http);
            if (!body.isObject() || body.has("process_path") && !body.get("process_path").isTextual()) {
                throw new BadRequest("expected no body or {\"process_path\": the executable's path, checked before the kill}");
            }
            path = pathOrNull(body.path("process_path").asText(null));
        }
        Message.Done done = kill(scope, v, pid, path);
        http.json(Map.of("killed", pid, "detail", done.detail()));
    }

    private void killForm(Context http) {
        Scope scope = ctx.scope(http);
        LiveConnections.View v = connection(http, scope);
        long pid = pid(http);
        Message.Done done = kill(scope, v, pid, pathOrNull(http.formParam("path")));
        ctx.render(http, "live/confirm.jte", new ConfirmPage(ctx.chrome(http, "Process killed").forEndpoint(v.endpoint()), "Process killed",
                done.detail() + " on " + host(v.endpoint()) + ".", null, Map.of(), null, "/endpoints/" + Format.segment(v.endpoint())
                        + "/events"));
    }

    // --- from an endpoint's pages (grid rows, process page): through the caller's open connection, opened when none

    private LiveConnections.View openConnection(Context http, Scope scope, String endpoint) {
        return connections.openOn(scope, endpoint).orElseGet(() -> connections.connect(scope, List.of(endpoint)).getFirst());
    }

    private void browseEndpoint(Context http) {
        Scope scope = ctx.scope(http);
        String endpoint = Format.unsegment(http.pathParam("endpoint"));
        LiveConnections.View v = openConnection(http, scope, endpoint);
        byte[] path = queryPath(http);
        http.redirect("/live/connections/" + Format.url(v.id()) + "/files" + (path == null ? "" : "?" + pathQuery(path)));
    }

    private void killEndpoint(Context http) {
        Scope scope = ctx.scope(http);
        String endpoint = Format.unsegment(http.pathParam("endpoint"));
        String pid = blankToNull(http.queryParam("pid"));
        if (pid == null || !pid.matches("[1-9][0-9]{0,18}")) throw new BadRequest("give the process id: ?pid=N (a whole number from 1)");
        LiveConnections.View v = openConnection(http, scope, endpoint);
        String path = pathOrNull(http.queryParam("path"));
        String back = blankToNull(http.queryParam("back"));
        http.redirect("/live/connections/" + Format.url(v.id()) + "/processes/" + pid + "/kill?"
                + (path == null ? "" : "path=" + Format.url(path) + "&") + (back == null ? "" : "back=" + Format.url(back)));
    }
}
