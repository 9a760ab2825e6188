package trailhound.web.endpoints;

/** One line of the endpoints table and of {@code GET /api/v1/endpoints}; times UTC ms, null when unknown. */
public record EndpointRow(String name, String os, String hostname, String ip, long eventCount, Long firstTs, Long lastTs, int snapshots) {}
