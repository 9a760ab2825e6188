package trailhound.web.intel;

import java.util.List;
import trailhound.access.Candidates;
import trailhound.access.EvidenceIndicators;
import trailhound.store.EvidenceItems;
import trailhound.web.PageChrome;

/**
 * Add &gt; Evidence Based IOC: the saved evidence items to pick from, the ids picked, one row per
 * distinct indicator the picked items offer ({@link EvidenceIndicators.Offer}: defaults first), the
 * number of events of the endpoints the caller may see (what "common" is measured against), and an
 * error (null when fine).
 */
public record NewIocPage(PageChrome chrome, List<EvidenceItems.Item> items, List<Long> picked, List<EvidenceIndicators.Offer> offers,
        long events, String error) {
    /** Rows the picker shows a page (its script pages them; without it, all show). */
    public static final int ROWS_PER_PAGE = 50;

    /** How many distinctive indicators are offered unticked because one IOC holds no more. */
    public long overLimit() {
        return offers.stream().filter(EvidenceIndicators.Offer::overLimit).count();
    }

    /** How many indicators are ticked. */
    public long ticked() {
        return offers.stream().filter(EvidenceIndicators.Offer::byDefault).count();
    }

    /** The most searches one IOC makes (an item one or more: a file name two), as a count for the page. */
    public static String maxSearches() {
        return trailhound.web.Format.count(trailhound.access.Intel.maxSearches());
    }

    /** The option value of a candidate: its type id, a colon, its value. */
    public static String option(Candidates.Candidate c) {
        return c.type().id() + ":" + c.value();
    }

    /** The field a candidate comes from as the picker shows it: a file name says which path it is the last part of. */
    public static String field(Candidates.Candidate c) {
        return c.type() == trailhound.query.IndicatorType.FILE_NAME ? "name in " + c.field() : c.field();
    }

    /** What the picker says of a row's matches: "matches 12 events", "common: matches 56,026 events", "a system path". */
    public static String matches(EvidenceIndicators.Offer o) {
        String n = o.matches() < 0 ? null : trailhound.web.Format.count(o.matches()) + (o.matches() == 1 ? " event" : " events");
        if (!o.common()) return n == null ? "not counted" : "matches " + n;
        return "common: " + (n == null ? "a system path" : "matches " + n + (o.candidate().system() ? " (a system path)" : ""));
    }
}
