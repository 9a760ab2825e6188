package trailhound.web.process;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.index.ProcessInfo;
import trailhound.index.ProcessView;

/**
 * The process tree as the d3 script draws it: a hierarchy rooted at the parent (a "?" node when
 * the parent has no events of its own, described from the process's parent_* fields) whose children are the process and its peers, the process's own
 * children below it. Each node carries its role (parent, self, peer, child) and the URL that
 * opens it; relatives beyond {@code limit} per kind are summarised in {@code more}.
 */
final class ProcessTree {
    private ProcessTree() {}

    static Map<String, Object> of(String endpoint, ProcessView view, boolean parentRecorded, int limit) {
        ProcessInfo self = view.process();
        Map<String, Object> selfNode = node(endpoint, self, "self");
        List<Map<String, Object>> children = new ArrayList<>();
        view.children().stream().limit(limit).forEach(c -> children.add(node(endpoint, c, "child")));
        selfNode.put("children", children);

        Map<String, Object> root;
        if (view.parent() != null && parentRecorded) {
            root = node(endpoint, view.parent(), "parent");
        } else {
            root = new LinkedHashMap<>();
            root.put("key", self.parentKey());
            root.put("name", self.parentPath() != null ? baseName(self.parentPath()) : "?");
            root.put("path", self.parentPath());
            root.put("pid", self.ppid());
            root.put("role", "parent");
            root.put("url", null);
            root.put("hint", ProcessModels.NO_PARENT);
        }
        // The process sits in the middle of its peers, so it is drawn level with its parent.
        List<Map<String, Object>> siblings = new ArrayList<>();
        view.peers().stream().limit(limit).forEach(p -> siblings.add(node(endpoint, p, "peer")));
        siblings.add(siblings.size() / 2, selfNode);
        root.put("children", siblings);

        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("root", root);
        tree.put("more", Map.of(
                "children", Math.max(0, view.children().size() - limit),
                "peers", Math.max(0, view.peers().size() - limit)));
        return tree;
    }

    private static Map<String, Object> node(String endpoint, ProcessInfo p, String role) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("key", p.key());
        n.put("name", p.name() != null ? p.name() : p.path() != null ? baseName(p.path()) : "?");
        n.put("path", p.path());
        n.put("pid", p.pid());
        n.put("role", role);
        n.put("url", ProcessModels.processUrl(endpoint, p.key()));
        n.put("hint", p.path() == null ? ProcessModels.NO_START : null);
        return n;
    }

    private static String baseName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(slash + 1);
    }
}
