package trailhound.index;

import java.util.List;

/**
 * A page of the children of {@code parentKey}: {@code nodes} are those at {@code offset} of
 * {@code total} (children ordered by normalised process key, the excluded one left out).
 */
public record ProcessBranch(String parentKey, int offset, int total, List<ProcessNode> nodes) {
    public ProcessBranch {
        nodes = List.copyOf(nodes);
    }

    /** Children after this page. */
    public int more() {
        return Math.max(0, total - offset - nodes.size());
    }

    /** The offset of the next page. */
    public int next() {
        return offset + nodes.size();
    }
}
