package trailhound.web.endpoints;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import trailhound.access.Scope;
import trailhound.index.IndexBackend;
import trailhound.index.IndexFormatException;
import trailhound.index.IndexStats;
import trailhound.store.EndpointInfo;

/** Joins what the catalogue knows of each endpoint the caller may see with its index's statistics and its tags. */
final class EndpointDirectory {
    private EndpointDirectory() {}

    /** The caller's endpoints whose name, host name, IP or a tag contains {@code filter} (case-insensitive; blank: all), by name. */
    static List<EndpointRow> list(Scope access, Map<String, SortedSet<String>> tags, String filter) throws IOException {
        String f = filter == null ? "" : filter.strip().toLowerCase(Locale.ROOT);
        List<EndpointRow> rows = new ArrayList<>();
        for (EndpointInfo info : access.endpoints()) {
            List<String> mine = List.copyOf(tags.getOrDefault(info.name(), java.util.Collections.emptySortedSet()));
            if (!f.isEmpty() && !matches(info, mine, f)) {
                continue;
            }
            rows.add(row(access, info, mine));
        }
        return rows;
    }

    private static boolean matches(EndpointInfo info, List<String> tags, String f) {
        return contains(info.name(), f) || contains(info.hostname(), f) || contains(info.ip(), f)
                || tags.stream().anyMatch(t -> contains(t, f));
    }

    private static boolean contains(String value, String f) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(f);
    }

    private static EndpointRow row(Scope access, EndpointInfo info, List<String> tags) throws IOException {
        IndexStats stats = null;
        String status = null;
        if (access.hasIndex(info.name())) {
            try (IndexBackend.Lease lease = access.index(info.name())) {
                stats = lease.index().stats();
            } catch (IndexFormatException e) {
                status = "needs re-index";
            }
        }
        return new EndpointRow(info.name(), info.os(), info.hostname(), info.ip(),
                stats == null ? 0 : stats.eventCount(),
                stats == null ? null : stats.firstTs(),
                stats == null ? null : stats.lastTs(),
                info.snapshotCount(), status, tags);
    }
}
