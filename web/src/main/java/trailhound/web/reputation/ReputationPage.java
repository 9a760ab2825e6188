package trailhound.web.reputation;

import trailhound.web.PageChrome;

/** The Reputation Report Details page model: the verdicts and where the caller may see the hash. */
public record ReputationPage(PageChrome chrome, ReputationReport report, Sightings seen) {}
