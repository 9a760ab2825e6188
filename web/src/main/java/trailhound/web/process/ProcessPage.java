package trailhound.web.process;

import java.util.List;
import trailhound.web.PageChrome;
import trailhound.web.reputation.ReputationReport;

/**
 * The process details page: facts about the process, its hashes with the reputation of the
 * primary one (null when the process has no hash), the history rows (the first
 * {@code history.size()} of {@code historyTotal}), the timeline data as JSON for the d3 script,
 * the process tree from its root, and the legends (event types, verdicts). {@code eventsUrl}
 * opens the events grid on this process's events. {@code ts} is the time the process is known at (its
 * start, else its first event; null: none), the time of the pivot menu's links, and {@code links}
 * the other endpoints its command lines and events name ({@code trailhound.web.pivot.EndpointLinks}); {@code live}: an agent
 * is enrolled for the endpoint (Kill process is offered).
 */
public record ProcessPage(
        PageChrome chrome,
        String endpoint,
        String processKey,
        String title,
        List<Detail> details,
        List<HashRow> hashes,
        String hashMissingHint,
        ReputationReport reputation,
        List<HistoryRow> history,
        long historyTotal,
        String timelineJson,
        TreeNode tree,
        List<TreeNode.TypeCount> typeLegend,
        List<trailhound.web.reputation.Verdict> verdictLegend,
        String eventsUrl,
        Long ts,
        List<trailhound.web.pivot.EndpointLink> links,
        boolean live) {

    /** The value shown for {@code field} among the details, null when missing (the kill link's pid and path). */
    public String detail(trailhound.schema.Field field) {
        return details.stream().filter(d -> d.field() == field && !d.missing()).map(Detail::value).findFirst().orElse(null);
    }

    public boolean truncated() {
        return history.size() < historyTotal;
    }
}
