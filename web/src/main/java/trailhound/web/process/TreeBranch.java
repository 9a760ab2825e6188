package trailhound.web.process;

import java.util.List;

/** Loaded children of a tree node and, when there are more, the "+N more" link to the next page ({@code moreUrl}). */
public record TreeBranch(List<TreeNode> nodes, int more, String moreUrl) {}
