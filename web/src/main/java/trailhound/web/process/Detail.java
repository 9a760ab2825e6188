package trailhound.web.process;

import trailhound.schema.Field;
import trailhound.web.pivot.Pivot;

/**
 * One labelled fact on the process page; when the value is missing the page shows a "?" whose
 * tooltip ({@code missingHint}) says why it is missing. {@code field} is the canonical field the
 * value is (null when it is none, as the start and end times), for its pivot menu.
 */
public record Detail(String label, String value, String missingHint, Field field) {

    public boolean missing() {
        return value == null;
    }

    /** The value's pivot; null when missing or not a field's value. */
    public Pivot pivot() {
        return field == null ? null : Pivot.of(field, value);
    }
}
