package trailhound.web.reputation;

/**
 * The badge fragment htmx polls while a lookup is pending: the report and the element id it
 * replaces ({@link #MAIN}, or {@code reputation-badge-md5}/{@code -sha1}/{@code -sha256} for a page
 * with one badge per hash; null for one of many, in grid cells and event fields).
 */
public record Badge(ReputationReport report, String id) {
    /** The id of a page's main badge (the process page's SHA-256, the report page's). */
    public static final String MAIN = "reputation-badge";
}
