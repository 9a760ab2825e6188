package trailhound.web.process;

import trailhound.schema.Field;
import trailhound.web.pivot.Pivot;

/** A hash of the process image ({@code field}: which one); {@code primary} is the one the reputation badge is about. */
public record HashRow(String label, String value, boolean primary, Field field) {

    public Pivot pivot() {
        return Pivot.of(field, value);
    }
}
