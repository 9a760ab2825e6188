package trailhound.web.process;

import java.util.List;
import java.util.Map;

/**
 * One event of the process: time (UTC text), item type, operation and operand (its main object,
 * {@code Event.object()}) for the Detailed Process History, and every present field for the Event
 * History tab.
 */
public record HistoryRow(String time, String type, String operation, String operand, String uid,
        List<Map.Entry<String, String>> fields) {}
