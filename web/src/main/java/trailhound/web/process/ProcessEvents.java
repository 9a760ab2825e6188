package trailhound.web.process;

import java.util.List;
import java.util.Map;
import trailhound.web.reputation.ReputationReport;

/**
 * The Event History tab: every field of the first {@code events.size()} of {@code total} events,
 * oldest first, and the reputation of each hash value among them (by value; null: not a hash).
 */
public record ProcessEvents(List<HistoryRow> events, long total, Map<String, ReputationReport> verdicts) {

    /** The report on a hash field's value, null for any other field or a value that is not a hash. */
    public ReputationReport verdict(String field, String value) {
        return field.startsWith("hash_") ? verdicts.get(value) : null;
    }
}
