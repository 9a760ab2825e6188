package trailhound.index;

/**
 * One process of a tree with its counts; {@code children} is the first page of its children when
 * they were loaded, null when they were not (ask {@link EventIndex#children} for them).
 */
public record ProcessNode(ProcessInfo info, ProcessCounts counts, ProcessBranch children) {}
