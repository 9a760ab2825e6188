package trailhound.web.intel;

import java.util.List;
import trailhound.access.Intel;
import trailhound.query.IocTree;
import trailhound.store.Iocs.Ioc;
import trailhound.web.PageChrome;

/**
 * One IOC: its tree, the query it runs, what an import left out (empty when nothing or not just
 * imported), the scan just run (null when none), whether the caller may change and scan it, and the
 * evidence item just saved from its matches (null when none): {@link SavedNotice}; {@code imported} the IOCs an import
 * just made when it made several (one per STIX indicator, or pieces of a long OR), this one first; else empty.
 */
public record IocPage(PageChrome chrome, Ioc ioc, IocTree tree, String query, List<String> notImported, Intel.Scan scan,
        boolean canChange, SavedNotice savedEvidence, List<Ioc> imported) {
    public String created() {
        return java.time.Instant.ofEpochMilli(ioc.createdAt()).toString();
    }

    /** The scan's listed matches on one endpoint. */
    public List<trailhound.index.HuntHit> hits(String endpoint) {
        return scan.hits().stream().filter(h -> h.endpoint().equals(endpoint)).toList();
    }

    public static String time(long ts) {
        return trailhound.schema.Event.formatTime(ts);
    }
}
