package trailhound.web.endpoints;

import java.util.List;
import trailhound.web.PageChrome;

/** The endpoints page: the filter as typed and the matching rows. */
public record EndpointsPage(PageChrome chrome, String filter, List<EndpointRow> rows) {}
