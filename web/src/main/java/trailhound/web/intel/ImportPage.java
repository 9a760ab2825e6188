package trailhound.web.intel;

import trailhound.web.PageChrome;

/** Import: an OpenIOC or STIX document pasted or uploaded; {@code error} null when fine. */
public record ImportPage(PageChrome chrome, String error) {}
