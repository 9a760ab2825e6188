package trailhound.web.saved;

import java.util.List;
import trailhound.access.SavedSearches.Saved;
import trailhound.web.PageChrome;
import trailhound.web.search.TimeRange;

/**
 * The saved searches page: the searches the caller sees, a notice (a search just saved; null when
 * none), an error (a refused save or rename; null when fine) and {@code back}, the search a refused
 * save came from (null when none).
 */
public record SavedSearchesPage(PageChrome chrome, List<Row> rows, String notice, String error, String back) {

    /** One search with its link (the one to share), where it searches and its window in words. */
    public record Row(Saved saved, String link, String where, String window) {
        static Row of(Saved s) {
            return new Row(s, SavedSearchPages.PATH + "/" + s.id(), s.endpoint() == null ? "all endpoints (hunt)" : s.endpoint(), window(s));
        }

        private static String window(Saved s) {
            if (s.range() != null) return "last " + s.range().replace("m", " min").replace("h", " h").replace("d", " d") + " before the newest event";
            if (s.from() == null && s.to() == null) return "all times";
            return (s.from() == null ? "…" : TimeRange.iso(s.from())) + " – " + (s.to() == null ? "…" : TimeRange.iso(s.to()));
        }
    }
}
