package trailhound.web.endpoints;

/**
 * One line of the endpoints table and of {@code GET /api/v1/endpoints}; times UTC ms, null when unknown;
 * {@code status} null, or {@code "needs re-index"} for an index of an older format (not searchable until re-indexed).
 */
public record EndpointRow(String name, String os, String hostname, String ip, long eventCount, Long firstTs, Long lastTs, int snapshots,
        String status) {}
