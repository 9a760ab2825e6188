package trailhound.index;

import java.util.Map;

/**
 * Event counts per type ({@code "process" -> n}) and per type/operation ({@code "process/start" -> n}),
 * each sorted by count descending.
 */
public record Distribution(long total, Map<String, Long> types, Map<String, Long> operations) {}
