package trailhound.web.process;

import trailhound.schema.Field;
import trailhound.web.pivot.Pivot;
import trailhound.web.reputation.ReputationReport;

/**
 * A hash of the process image ({@code field}: which one) with its own reputation (null when the value
 * is not a hash); {@code primary} is the one the page's main badge has always been about;
 * {@code badgeId} is the badge's element id ({@code reputation-badge} for the primary hash,
 * {@code reputation-badge-md5} etc. for the others).
 */
public record HashRow(String label, String value, boolean primary, Field field, ReputationReport reputation, String badgeId) {

    public Pivot pivot() {
        return Pivot.of(field, value);
    }
}
