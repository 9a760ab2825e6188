package trailhound.web.endpoints;

import java.util.List;

/**
 * One line of the endpoints table and of {@code GET /api/v1/endpoints}; times UTC ms, null when unknown;
 * {@code status} null, or {@code "needs re-index"} for an index of an older format (not searchable until re-indexed);
 * {@code tags} sorted, what computer groups' rules test with {@code tag:}.
 */
public record EndpointRow(String name, String os, String hostname, String ip, long eventCount, Long firstTs, Long lastTs, int snapshots,
        String status, List<String> tags) {}
