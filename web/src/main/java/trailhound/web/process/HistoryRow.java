package trailhound.web.process;

import java.util.List;
import java.util.Map;
import trailhound.web.pivot.EndpointLink;
import trailhound.web.pivot.Pivot;

/**
 * One event of the process: time (UTC text, and {@code ts} in epoch ms), item type, operation and
 * operand (its main object, {@code Event.object()}, with the pivot behind it) for the Detailed
 * Process History, and every present field and the other endpoints its values name for the Event
 * History tab.
 */
public record HistoryRow(String time, long ts, String type, String operation, String operand, Pivot operandPivot, String uid,
        List<Map.Entry<String, String>> fields, List<EndpointLink> links) {}
