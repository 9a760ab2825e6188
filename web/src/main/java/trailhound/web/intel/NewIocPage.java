package trailhound.web.intel;

import java.util.List;
import trailhound.access.Candidates;
import trailhound.access.EvidenceIndicators;
import trailhound.store.EvidenceItems;
import trailhound.web.PageChrome;

/**
 * Add &gt; Evidence Based IOC: the saved evidence items to pick from, the ids picked, one row per
 * distinct indicator the picked items offer ({@link EvidenceIndicators.Offer}: defaults first), the
 * number of events of the endpoints the caller may see (what "common" is measured against), an
 * error (null when fine), and whether every row is listed ({@code all}) or only {@link #shown}.
 */
public record NewIocPage(PageChrome chrome, List<EvidenceItems.Item> items, List<Long> picked, List<EvidenceIndicators.Offer> offers,
        long events, String error, boolean all) {
    /** Rows the picker shows a page (its script pages them; without it, all show). */
    public static final int ROWS_PER_PAGE = 50;
    /** The most unticked rows of each indicator type listed before "List all". */
    public static final int OTHERS_PER_TYPE = 10;

    /*
     * Fourth try-out: a 10,000-event item listed 5,621 rows, the ticked ones lost among thousands of
     * unticked paths and names nobody reads. The ticked rows (and those one IOC had no room for) are always
     * listed; of the others, each type's first by how many of the items' events carry them (the evidence's
     * own image before a value one event holds), then the distinctive before the common, then the fewest
     * matches; the count
     * of the rest and a link list them all, paged as before.
     */

    /** The rows listed, in the offers' order: every one with {@code all}, else see the class comment. */
    public List<EvidenceIndicators.Offer> shown() {
        if (all) return offers;
        java.util.Set<EvidenceIndicators.Offer> best = new java.util.HashSet<>();
        offers.stream().filter(o -> !o.byDefault() && !o.overLimit())
                .collect(java.util.stream.Collectors.groupingBy(o -> o.candidate().type()))
                .values().forEach(others -> others.stream()
                        .sorted(java.util.Comparator.comparingInt((EvidenceIndicators.Offer o) -> -o.carriers())
                                .thenComparing(EvidenceIndicators.Offer::common)
                                .thenComparing(o -> o.matches() < 0).thenComparingLong(EvidenceIndicators.Offer::matches))
                        .limit(OTHERS_PER_TYPE).forEach(best::add));
        return offers.stream().filter(o -> o.byDefault() || o.overLimit() || best.contains(o)).toList();
    }

    /** How many rows {@link #shown} leaves out. */
    public long rest() {
        return offers.size() - shown().size();
    }

    /** This page with every row listed. */
    public String allLink() {
        StringBuilder b = new StringBuilder("/intel/new?picking=1");
        for (Long id : picked) b.append("&evidence=").append(id);
        return b.append("&all=1").toString();
    }

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
        return "common: " + (n == null ? o.candidate().systemLabel() : "matches " + n + (o.candidate().system() ? " (" + o.candidate().systemLabel() + ")" : ""));
    }
}
