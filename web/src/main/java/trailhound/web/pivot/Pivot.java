package trailhound.web.pivot;

import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * One value a page offers as a pivot: the canonical field name and the raw value, rendered as
 * {@code <span class="pv" data-field="..." data-value="...">} for {@code static/js/pivot.js}
 * (menu: filter for, filter out, copy, search all endpoints, open on another endpoint).
 *
 * @param field a canonical field name ({@link Field#canonicalName()})
 * @param value the value exactly as stored, never shortened or reformatted
 */
public record Pivot(String field, String value) {

    /**
     * The pivot for a field's value, or null when there is nothing to pivot on: no value, or the
     * time (a millisecond is no filter anyone means; the time picker narrows by time).
     */
    public static Pivot of(Field field, String value) {
        if (value == null || value.isEmpty() || field == Field.TS) return null;
        return new Pivot(field.canonicalName(), value);
    }

    /** The pivot for a field given by canonical name (an unknown name: null), as {@link #of(Field, String)}. */
    public static Pivot named(String field, String value) {
        return Field.byName(field).map(f -> of(f, value)).orElse(null);
    }

    /** The pivot of a field's value in an event; null as {@link #of(Field, String)}. */
    public static Pivot of(Event event, Field field) {
        return of(field, event.get(field));
    }

    /**
     * The pivot behind {@link Event#object()}: the field the object comes from with its own value, so
     * a network event's {@code ip:port} pivots on {@code remote_ip} and a registry value on its key.
     * Null when the event has no object.
     */
    public static Pivot object(Event event) {
        if ("network".equals(event.type())) return of(event, Field.REMOTE_IP);
        for (Field f : OBJECT_FIELDS) {
            if (event.has(f)) return of(event, f);
        }
        return "process".equals(event.type()) ? of(event, Field.COMMAND_LINE) : null;
    }

    // Event.object()'s order: the first of these present is the object.
    private static final Field[] OBJECT_FIELDS = {
        Field.FILE_PATH, Field.REGISTRY_KEY, Field.DNS_QUERY, Field.IMAGE_PATH, Field.TARGET_PROCESS_PATH,
        Field.TARGET_USER, Field.REMOTE_IP
    };
}
