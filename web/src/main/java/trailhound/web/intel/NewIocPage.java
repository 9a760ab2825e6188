package trailhound.web.intel;

import java.util.List;
import trailhound.access.Candidates;
import trailhound.store.EvidenceItems;
import trailhound.web.PageChrome;

/**
 * Add &gt; Evidence Based IOC: the saved evidence items to pick from, the ids picked, one row per
 * event of the picked items offering indicators (its candidates, the default first), and an error
 * (null when fine).
 */
public record NewIocPage(PageChrome chrome, List<EvidenceItems.Item> items, List<Long> picked, List<Row> rows, String error) {
    /** One event of a picked item and the indicators it offers. */
    public record Row(EvidenceItems.Item item, String type, String operation, List<Candidates.Candidate> candidates) {}

    /** The option value of a candidate: its type id, a colon, its value. */
    public static String option(Candidates.Candidate c) {
        return c.type().id() + ":" + c.value();
    }
}
