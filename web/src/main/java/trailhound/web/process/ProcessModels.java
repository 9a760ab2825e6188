package trailhound.web.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.index.ProcessInfo;
import trailhound.index.ProcessView;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.web.Format;
import trailhound.web.PageChrome;
import trailhound.web.pivot.EndpointLink;
import trailhound.web.pivot.EndpointLinks;
import trailhound.web.pivot.Pivot;
import trailhound.web.reputation.ReputationReport;
import trailhound.web.reputation.ReputationService;

/** Turns an index {@link ProcessView} into the page model and the JSON API answer. */
final class ProcessModels {
    static final String NO_START = "no process start event in the recorded window (it started before recording began)";
    static final String NO_END = "no process end event in the recorded window: still running, or it ended after the last recorded event";
    static final String NOT_CAPTURED = "the recorder did not capture this for the process";
    static final String NO_PARENT = "the parent process has no events in the recorded window";
    static final String NO_HASH = "no hash recorded: hashes come with the process start or image load event";

    private ProcessModels() {}

    static ProcessPage page(PageChrome chrome, String endpoint, ProcessView view, boolean parentRecorded, TreeNode tree,
            ReputationService reputation, ObjectMapper json, EndpointLinks links, boolean live) {
        ProcessInfo p = view.process();
        String whyMissing = p.startTs() == null ? NO_START : NOT_CAPTURED;
        List<Detail> details = new ArrayList<>();
        details.add(new Detail("Path", p.path(), whyMissing, Field.PROCESS_PATH));
        details.add(new Detail("Command line", p.commandLine(), whyMissing, Field.COMMAND_LINE));
        details.add(new Detail("Parent command line", p.parentCommandLine() != null ? p.parentCommandLine()
                : view.parent() == null ? null : view.parent().commandLine(), parentRecorded ? whyMissing : NO_PARENT,
                Field.PARENT_COMMAND_LINE));
        details.add(new Detail("PID", p.pid() == null ? null : p.pid().toString(), whyMissing, Field.PID));
        details.add(new Detail("PPID", p.ppid() == null ? null : p.ppid().toString(), whyMissing, Field.PPID));
        details.add(new Detail("User", p.user(), whyMissing, Field.USER));
        details.add(new Detail("Signer", p.signature(), whyMissing, Field.SIGNATURE));
        details.add(new Detail("Start (UTC)", p.startTs() == null ? null : Format.utc(p.startTs()), NO_START, null));
        details.add(new Detail("End (UTC)", p.endTs() == null ? null : Format.utc(p.endTs()), NO_END, null));

        List<HashRow> hashes = new ArrayList<>();
        String primary = primaryHash(p);
        addHash(hashes, "SHA-256", "sha256", p.hashSha256(), primary, Field.HASH_SHA256, reputation);
        addHash(hashes, "SHA-1", "sha1", p.hashSha1(), primary, Field.HASH_SHA1, reputation);
        addHash(hashes, "MD5", "md5", p.hashMd5(), primary, Field.HASH_MD5, reputation);
        ReputationReport report = primary == null ? null : reputation.reportIfHash(primary);

        // Only the Event History fragment needs every field; the page's table needs the summary.
        List<HistoryRow> rows = view.history().stream().map(e -> row(e, List.of(), List.of())).toList();
        Long ts = anchor(view);
        String title = (p.name() != null ? p.name() : p.path() != null ? p.path() : p.key())
                + (p.pid() == null ? "" : " (PID " + p.pid() + ")");
        return new ProcessPage(chrome, endpoint, p.key(), title, details, hashes, whyMissing.equals(NO_START) ? NO_START : NO_HASH,
                report, rows, view.historyTotal(), write(json, timeline(view.history())),
                tree, TreeLegend.TYPES.stream().map(t -> new TreeNode.TypeCount(t, TreeLegend.cssClass(t), 0)).toList(),
                TreeLegend.verdicts(), eventsUrl(endpoint, p.key()), ts, ts == null ? List.of() : processLinks(p, view, ts, links), live);
    }

    /** The time the process is known at: its start, else its first event; null when it has neither. */
    private static Long anchor(ProcessView view) {
        Long start = view.process().startTs();
        return start != null ? start : view.history().isEmpty() ? null : view.history().getFirst().ts();
    }

    /**
     * The other endpoints the process names: in its command lines (at its time) and in its events'
     * values (at each event's time), each endpoint once at its first mention.
     */
    private static List<EndpointLink> processLinks(ProcessInfo p, ProcessView view, long ts, EndpointLinks links) {
        java.util.Map<String, EndpointLink> found = new LinkedHashMap<>();
        for (EndpointLink l : links.find(Field.COMMAND_LINE, p.commandLine(), ts)) found.putIfAbsent(l.endpoint(), l);
        for (EndpointLink l : links.find(Field.PARENT_COMMAND_LINE, p.parentCommandLine(), ts)) found.putIfAbsent(l.endpoint(), l);
        for (EndpointLink l : links.find(view.history())) found.putIfAbsent(l.endpoint(), l);
        return List.copyOf(found.values());
    }

    /**
     * The process, its relatives and history; with the tree ({@code ancestry} root first without
     * the process, its {@code counts}, the first page of its {@code peers_page} and its
     * {@code descendants} some levels down, more pages from {@code .../children}). {@code children}
     * and {@code peers} are the first {@code children_limit} of each, as the view was loaded: the
     * pages' {@code total} and {@code next_offset} say how many more there are.
     */
    static Map<String, Object> api(String endpoint, ProcessView view, boolean parentRecorded, ProcessModels.Tree tree,
            ReputationService reputation, EndpointLinks links) {
        String primary = primaryHash(view.process());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("endpoint", endpoint);
        out.put("process", process(view.process()));
        out.put("parent", view.parent() == null ? null : process(view.parent()));
        out.put("parent_recorded", parentRecorded);
        out.put("children", view.children().stream().map(ProcessModels::process).toList());
        out.put("peers", view.peers().stream().map(ProcessModels::process).toList());
        out.put("reputation", primary == null ? null : reputation.reportIfHash(primary));
        out.put("reputations", reputations(view.process(), reputation));
        out.put("counts", ProcessTree.counts(tree.ancestry().getLast().counts()));
        out.put("ancestry", tree.ancestry().subList(0, tree.ancestry().size() - 1).stream().map(n -> ProcessTree.json(n, reputation)).toList());
        out.put("peers_page", tree.peers() == null ? null : ProcessTree.json(tree.peers(), view.process().key(), reputation));
        out.put("descendants", ProcessTree.json(tree.descendants(), null, reputation));
        Long ts = anchor(view);
        out.put("links", ts == null ? List.of() : processLinks(view.process(), view, ts, links));
        out.put("history_total", view.historyTotal());
        out.put("history", view.history().stream().map(e -> {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("time", Format.utc(e.ts()));
            h.put("type", e.type());
            h.put("operation", e.operation());
            h.put("operand", e.object());
            h.put("event", e.toDisplayMap());
            return h;
        }).toList());
        return out;
    }

    static ProcessEvents events(ProcessView view, EndpointLinks links, ReputationService reputation) {
        Map<String, ReputationReport> verdicts = new java.util.HashMap<>();
        for (Event e : view.history()) {
            for (trailhound.schema.Field f : HASH_FIELDS) {
                String v = e.get(f);
                if (v != null && !verdicts.containsKey(v)) verdicts.put(v, reputation.reportIfHash(v));
            }
        }
        return new ProcessEvents(view.history().stream()
                .map(e -> row(e, List.copyOf(e.toDisplayMap().entrySet()), links.find(e))).toList(), view.historyTotal(), verdicts);
    }

    static final List<trailhound.schema.Field> HASH_FIELDS =
            List.of(trailhound.schema.Field.HASH_MD5, trailhound.schema.Field.HASH_SHA1, trailhound.schema.Field.HASH_SHA256);

    /** Each of the process's hashes with its own report: {@code {"hash_sha256": {...}, "hash_md5": {...}}} (present hashes only). */
    private static Map<String, Object> reputations(ProcessInfo p, ReputationService reputation) {
        Map<String, Object> out = new LinkedHashMap<>();
        String[][] hashes = {{"hash_md5", p.hashMd5()}, {"hash_sha1", p.hashSha1()}, {"hash_sha256", p.hashSha256()}};
        for (String[] h : hashes) {
            ReputationReport r = reputation.reportIfHash(h[1]);
            if (r != null) out.put(h[0], r);
        }
        return out;
    }

    /** The hash reputation is asked about: SHA-256 if known, else SHA-1, else MD5 (null: none). */
    static String primaryHash(ProcessInfo p) {
        return p.hashSha256() != null ? p.hashSha256() : p.hashSha1() != null ? p.hashSha1() : p.hashMd5();
    }

    static String eventsUrl(String endpoint, String processKey) {
        // quoted, so a key holding spaces, '?', '/', '*' or operators is one exact value
        String quoted = "\"" + processKey.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        return "/endpoints/" + Format.segment(endpoint) + "/events?q=" + Format.url("process_key:" + quoted);
    }

    static String processUrl(String endpoint, String processKey) {
        return "/endpoints/" + Format.segment(endpoint) + "/process/" + Format.segment(processKey);
    }

    private static void addHash(List<HashRow> rows, String label, String kind, String value, String primary, Field field,
            ReputationService reputation) {
        if (value != null) {
            boolean main = value.equals(primary);
            rows.add(new HashRow(label, value, main, field, reputation.reportIfHash(value),
                    main ? "reputation-badge" : "reputation-badge-" + kind));
        }
    }

    private static HistoryRow row(Event e, List<Map.Entry<String, String>> fields, List<EndpointLink> links) {
        return new HistoryRow(Format.utc(e.ts()), e.ts(), e.type(), e.operation(), e.object(), Pivot.object(e), e.uid(), fields, links);
    }

    /** What the tree shows of a process: its ancestry (root first, the process last), first page of peers (null: no parent), descendants. */
    record Tree(List<trailhound.index.ProcessNode> ancestry, trailhound.index.ProcessBranch peers, trailhound.index.ProcessBranch descendants) {}

    static Map<String, Object> process(ProcessInfo p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", p.key());
        m.put("path", p.path());
        m.put("name", p.name());
        m.put("command_line", p.commandLine());
        m.put("user", p.user());
        m.put("pid", p.pid());
        m.put("ppid", p.ppid());
        m.put("parent_key", p.parentKey());
        m.put("parent_path", p.parentPath());
        m.put("parent_command_line", p.parentCommandLine());
        m.put("hash_md5", p.hashMd5());
        m.put("hash_sha1", p.hashSha1());
        m.put("hash_sha256", p.hashSha256());
        m.put("signature", p.signature());
        m.put("start", p.startTs() == null ? null : Format.utc(p.startTs()));
        m.put("end", p.endTs() == null ? null : Format.utc(p.endTs()));
        return m;
    }

    /** One point per event for the d3 timeline: epoch ms, UTC text, type, operation, operand. */
    private static List<Map<String, Object>> timeline(List<Event> history) {
        List<Map<String, Object>> points = new ArrayList<>(history.size());
        for (Event e : history) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t", e.ts());
            m.put("time", Format.utc(e.ts()));
            m.put("type", e.type());
            m.put("css", TreeLegend.cssClass(e.type()));
            m.put("operation", e.operation());
            m.put("operand", e.object());
            points.add(m);
        }
        return points;
    }

    private static String write(ObjectMapper json, Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write page data as JSON", e);
        }
    }
}
