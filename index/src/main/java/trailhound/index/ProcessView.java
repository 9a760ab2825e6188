package trailhound.index;

import java.util.List;
import trailhound.schema.Event;

/**
 * A process, its parent (null when unknown), children, peers (same parent, not itself; both lists
 * possibly only the first ones, see {@link EventIndex#process(String, int, int)}) and its event
 * history by time ascending (first {@code history.size()} of {@code historyTotal}).
 */
public record ProcessView(
        ProcessInfo process,
        ProcessInfo parent,
        List<ProcessInfo> children,
        List<ProcessInfo> peers,
        List<Event> history,
        long historyTotal) {}
