package trailhound.web.process;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import trailhound.index.ProcessBranch;
import trailhound.index.ProcessCounts;
import trailhound.index.ProcessInfo;
import trailhound.index.ProcessNode;
import trailhound.web.Format;
import trailhound.web.reputation.ReputationReport;
import trailhound.web.reputation.ReputationService;

/*
 * The process tree, drawn by the server as nested lists (process/node.jte, process/branch.jte):
 * the ancestry from the root down to the process, the process's peers beside it, its descendants
 * some levels down. A node's other children are not loaded with it but behind a "+N more" link to
 * /children?offset=..&exclude=.. (the child already shown left out), so every relative is one
 * request away and reached exactly once; a collapsed node loads its children the same way.
 *
 * The JSON twin (json(...)) gives the same nodes with counts by type and the same paging.
 */
final class ProcessTree {
    /** Children per page, of every node. */
    static final int PAGE = 20;
    /** Levels of descendants loaded with the page. */
    static final int LEVELS = 3;
    /** Nodes loaded in one request at most; deeper ones stay collapsed (and load when opened). */
    static final int BUDGET = 200;
    static final int MAX_LIMIT = 500;
    static final int MAX_LEVELS = 6;

    private ProcessTree() {}

    /**
     * The tree from the root: {@code ancestry} is root first, the process last; {@code peers} the
     * first page of its parent's other children (null: no parent); {@code descendants} its own.
     */
    static TreeNode page(String endpoint, List<ProcessNode> ancestry, ProcessBranch peers, ProcessBranch descendants,
            ReputationService reputation) {
        ProcessNode self = ancestry.getLast();
        TreeNode at = node(endpoint, self, "self", branch(endpoint, descendants, null, reputation), reputation);
        for (int i = ancestry.size() - 2; i >= 0; i--) {
            ProcessNode ancestor = ancestry.get(i);
            String parentKey = ancestor.info().key();
            String shownKey = at.key();
            List<TreeNode> nodes = new ArrayList<>();
            nodes.add(at);
            TreeBranch below;
            if (i == ancestry.size() - 2 && peers != null) {
                peers.nodes().forEach(p -> nodes.add(node(endpoint, p, "peer", null, reputation)));
                below = new TreeBranch(nodes, peers.more(), peers.more() == 0 ? null
                        : childrenUrl(endpoint, parentKey, peers.next(), shownKey));
            } else {
                int others = Math.max(0, ancestor.counts().children() - 1);
                below = new TreeBranch(nodes, others, others == 0 ? null : childrenUrl(endpoint, parentKey, 0, shownKey));
            }
            at = node(endpoint, ancestor, "ancestor", below, reputation);
        }
        return at;
    }

    /** A page of children as the page draws it; the "+N more" link keeps {@code exclude}. */
    static TreeBranch branch(String endpoint, ProcessBranch b, String exclude, ReputationService reputation) {
        if (b == null) return null;
        List<TreeNode> nodes = new ArrayList<>(b.nodes().size());
        for (ProcessNode n : b.nodes()) {
            nodes.add(node(endpoint, n, "child", branch(endpoint, n.children(), null, reputation), reputation));
        }
        return new TreeBranch(nodes, b.more(), b.more() == 0 ? null : childrenUrl(endpoint, b.parentKey(), b.next(), exclude));
    }

    private static TreeNode node(String endpoint, ProcessNode n, String role, TreeBranch branch, ReputationService reputation) {
        ProcessInfo p = n.info();
        ProcessCounts c = n.counts();
        String[] verdict = verdict(p, reputation);
        List<TreeNode.TypeCount> counts = new ArrayList<>();
        for (String type : List.of("file", "network", "registry")) {
            counts.add(new TreeNode.TypeCount(type, TreeLegend.cssClass(type), c.of(type)));
        }
        StringBuilder summary = new StringBuilder();
        new TreeMap<>(c.byType()).forEach((type, count) -> summary.append(type).append(' ').append(Format.count(count)).append(" · "));
        summary.append(c.children() == 1 ? "1 child process" : Format.count(c.children()) + " child processes");
        if (c.events() == 0) summary.append(" · ").append(ProcessModels.NO_PARENT);
        String url = c.events() == 0 || "self".equals(role) ? null : ProcessModels.processUrl(endpoint, p.key());
        return new TreeNode(p.key(), name(p), p.pid(), url, role, verdict[0], verdict[1], counts, c.children(), summary.toString(),
                branch, c.children() == 0 ? null : childrenUrl(endpoint, p.key(), 0, null));
    }

    /** The CSS class and label of the verdict on the process's hashes (the strongest); "none" without a hash. */
    private static String[] verdict(ProcessInfo p, ReputationService reputation) {
        ReputationReport r = report(p, reputation);
        return r == null ? new String[] {"verdict-none", "No hash"} : new String[] {r.verdict().cssClass(), r.verdict().label()};
    }

    /** The strongest verdict of the process image's hashes; null (no hash) when none is a hash. */
    private static ReputationReport report(ProcessInfo p, ReputationService reputation) {
        return reputation.strongest(p.hashSha256(), p.hashSha1(), p.hashMd5());
    }

    static String childrenUrl(String endpoint, String parentKey, int offset, String exclude) {
        return ProcessModels.processUrl(endpoint, parentKey) + "/children?offset=" + offset + "&limit=" + PAGE
                + (exclude == null ? "" : "&exclude=" + Format.url(exclude));
    }

    private static String name(ProcessInfo p) {
        if (p.name() != null) return p.name();
        if (p.path() == null) return "?";
        return trailhound.schema.FilePaths.fileName(p.path());
    }

    /** A node for the API: the process's facts, the verdict on its hash, counts, loaded children. */
    static Map<String, Object> json(ProcessNode n, ReputationService reputation) {
        Map<String, Object> m = ProcessModels.process(n.info());
        ReputationReport r = report(n.info(), reputation);
        m.put("verdict", r == null ? null : r.verdict());
        m.put("counts", counts(n.counts()));
        m.put("children", n.children() == null ? null : json(n.children(), null, reputation));
        return m;
    }

    static Map<String, Object> counts(ProcessCounts c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", c.events());
        m.put("by_type", new TreeMap<>(c.byType()));
        m.put("children", c.children());
        return m;
    }

    /** A page of children for the API; {@code next_offset} is null on the last page. */
    static Map<String, Object> json(ProcessBranch b, String exclude, ReputationService reputation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("parent_key", b.parentKey());
        m.put("exclude", exclude);
        m.put("offset", b.offset());
        m.put("total", b.total());
        m.put("more", b.more());
        m.put("next_offset", b.more() == 0 ? null : b.next());
        m.put("nodes", b.nodes().stream().map(n -> json(n, reputation)).toList());
        return m;
    }
}
