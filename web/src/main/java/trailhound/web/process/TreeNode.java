package trailhound.web.process;

import java.util.List;

/**
 * One process of the process tree as the page draws it: its label, the verdict on its hash (CSS
 * class and label; {@code verdict-none} when it has no hash), its counts of file, network and
 * registry events and child processes, and a tooltip with every type's count. {@code url} opens it
 * (null: it has no events of its own); {@code branch} is the loaded page of its children (null:
 * not loaded, {@code childrenUrl} loads them). {@code role}: ancestor, self, peer or child.
 */
public record TreeNode(String key, String name, Long pid, String url, String role, String verdictClass, String verdictLabel,
        List<TypeCount> counts, int children, String summary, TreeBranch branch, String childrenUrl) {

    /** The events of one type, with the CSS class that colours that type everywhere. */
    public record TypeCount(String type, String cssClass, long count) {}

    public boolean expanded() {
        return branch != null;
    }
}
