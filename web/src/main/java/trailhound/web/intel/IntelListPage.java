package trailhound.web.intel;

import java.util.List;
import trailhound.store.Iocs.Ioc;
import trailhound.web.PageChrome;

/** The Intel page: every IOC, newest first; {@code canChange} when the caller may add, import and scan. */
public record IntelListPage(PageChrome chrome, List<Ioc> iocs, boolean canChange) {
    public static String created(Ioc ioc) {
        return java.time.Instant.ofEpochMilli(ioc.createdAt()).toString();
    }
}
