package trailhound.index;

import java.util.Map;

/**
 * How much one process did: its events per type (lower case, e.g. {@code file}, {@code network})
 * and its child processes (distinct process keys whose parent is it).
 */
public record ProcessCounts(Map<String, Long> byType, int children) {
    public static final ProcessCounts NONE = new ProcessCounts(Map.of(), 0);

    public ProcessCounts {
        byType = Map.copyOf(byType);
    }

    /** Events of this type (lower case); 0 when none. */
    public long of(String type) {
        return byType.getOrDefault(type, 0L);
    }

    public long events() {
        return byType.values().stream().mapToLong(Long::longValue).sum();
    }
}
