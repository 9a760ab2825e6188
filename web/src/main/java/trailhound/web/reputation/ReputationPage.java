package trailhound.web.reputation;

import trailhound.web.PageChrome;

/** The Reputation Report Details page model. */
public record ReputationPage(PageChrome chrome, ReputationReport report) {}
