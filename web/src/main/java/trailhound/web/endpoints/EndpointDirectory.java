package trailhound.web.endpoints;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import trailhound.index.IndexBackend;
import trailhound.index.IndexFormatException;
import trailhound.index.IndexStats;
import trailhound.ingest.DataDir;
import trailhound.store.EndpointInfo;

/** Joins what the catalogue knows of each endpoint with its index's statistics. */
final class EndpointDirectory {
    private final DataDir data;

    EndpointDirectory(DataDir data) {
        this.data = data;
    }

    /** Endpoints whose name, host name or IP contains {@code filter} (case-insensitive; blank: all), by name. */
    List<EndpointRow> list(String filter) throws IOException {
        String f = filter == null ? "" : filter.strip().toLowerCase(Locale.ROOT);
        Map<String, EndpointInfo> known = new TreeMap<>();
        for (EndpointInfo info : data.catalogue().endpoints()) {
            known.put(info.name(), info);
        }
        // An index without a catalogue entry (e.g. a rebuilt catalogue) is still listed.
        for (String name : data.indexes().endpoints()) {
            known.putIfAbsent(name, new EndpointInfo(name, null, null, null, 0));
        }
        List<EndpointRow> rows = new ArrayList<>();
        for (EndpointInfo info : known.values()) {
            if (!f.isEmpty() && !matches(info, f)) {
                continue;
            }
            rows.add(row(info));
        }
        return rows;
    }

    private static boolean matches(EndpointInfo info, String f) {
        return contains(info.name(), f) || contains(info.hostname(), f) || contains(info.ip(), f);
    }

    private static boolean contains(String value, String f) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(f);
    }

    private EndpointRow row(EndpointInfo info) throws IOException {
        IndexBackend indexes = data.indexes();
        IndexStats stats = null;
        String status = null;
        if (indexes.exists(info.name())) {
            try (IndexBackend.Lease lease = indexes.acquire(info.name())) {
                stats = lease.index().stats();
            } catch (IndexFormatException e) {
                status = "needs re-index";
            }
        }
        return new EndpointRow(info.name(), info.os(), info.hostname(), info.ip(),
                stats == null ? 0 : stats.eventCount(),
                stats == null ? null : stats.firstTs(),
                stats == null ? null : stats.lastTs(),
                info.snapshotCount(), status);
    }
}
