package trailhound.web.process;

import trailhound.web.reputation.ReputationReport;

/**
 * A hash of the process image with its own reputation (null when the value is not a hash);
 * {@code badgeId} is the badge's element id ({@code reputation-badge} for the primary hash, the
 * one the page's main badge has always been about, {@code reputation-badge-md5} etc. for the others).
 */
public record HashRow(String label, String value, boolean primary, ReputationReport reputation, String badgeId) {}
