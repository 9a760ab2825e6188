package trailhound.web.hunt;

import java.util.List;
import trailhound.web.Format;
import trailhound.web.PageChrome;
import trailhound.web.search.EventScope;
import trailhound.web.search.GridRow;
import trailhound.web.search.TimePicker;

/**
 * The hunt page: the query text, the error of a bad query (message and column; null when fine),
 * whether a hunt ran ({@code hunted}: false for the bare form and for a bad query), the exact total
 * over the caller's endpoints, the counts per endpoint (largest first), this page of the newest
 * events (each with its endpoint), the cursor token of the next page (null on the last), the 0-based
 * position of this page's first event ({@code start}), the cursor token whose page before is the
 * previous one (null when the previous page is the first, or there is none) and the
 * sources being ingested meanwhile; the time window's text ({@code from}, {@code to}, as typed) and
 * its picker.
 */
public record HuntPage(
        PageChrome chrome,
        String text,
        String error,
        Integer errorColumn,
        boolean hunted,
        long total,
        List<EndpointCount> counts,
        List<String> headers,
        List<Row> rows,
        String next,
        long start,
        String previous,
        List<String> partial,
        String from,
        String to,
        TimePicker time) {

    /** One endpoint with at least one hit. */
    public record EndpointCount(String endpoint, long count) {}

    /** One event: the endpoint holding it and its grid cells (as the events grid shows them). */
    public record Row(String endpoint, GridRow grid) {}

    /** The page before any hunt, or with a bad query. */
    static HuntPage form(PageChrome chrome, String text, String error, Integer errorColumn, String from, String to, TimePicker time) {
        return new HuntPage(chrome, text, error, errorColumn, false, 0, List.of(), List.of(), List.of(), null, 0, null, List.of(),
                from, to, time);
    }

    /** "101-200 of 24,846": the events shown and the total; "none of ..." past the last. */
    public String position() {
        if (rows.isEmpty()) return (total > 0 ? "none of " : "0 of ") + Format.count(total);
        return Format.count(start + 1) + "-" + Format.count(start + rows.size()) + " of " + Format.count(total);
    }

    public boolean firstPage() {
        return start == 0;
    }

    /** The previous page: the first page when it is that, else the page before this one's first event. */
    public String previousLink() {
        return previous == null ? link("", "") : link("", "&before=" + Format.url(previous));
    }

    /** The page after this one. */
    public String nextLink() {
        return link("", "&after=" + Format.url(next));
    }

    /** The last page: the oldest events. */
    public String lastLink() {
        return link("", "&last=1");
    }

    /** The endpoint's events grid with this page's query and time window. */
    public String eventsLink(String endpoint) {
        return "/endpoints/" + Format.segment(endpoint) + "/events?q=" + Format.url(text) + EventScope.timeParams(from, to);
    }

    /** The page of the row's process on its endpoint. */
    public String processLink(Row row) {
        return "/endpoints/" + Format.segment(row.endpoint()) + "/process/" + Format.segment(row.grid().processKey());
    }

    /** A link under {@code /hunt} with this query and time window, extra parameters appended ({@code ""} for none). */
    public String link(String path, String extra) {
        return "/hunt" + path + "?q=" + Format.url(text) + EventScope.timeParams(from, to) + extra;
    }
}
