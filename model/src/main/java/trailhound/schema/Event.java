package trailhound.schema;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One normalised event: a value per canonical {@link Field}, stored as text (numbers and IPs in
 * their canonical text form, {@code ts} as UTC epoch milliseconds).
 *
 * <p>Immutable and thread-safe. Absent fields are {@code null}, never empty strings: the
 * {@link Builder} turns blank values into absent ones so every producer agrees.
 */
public final class Event {
    private final String[] values;

    private Event(String[] values) {
        this.values = values;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The value of the field, or {@code null} when the event does not have it. */
    public String get(Field field) {
        return values[field.ordinal()];
    }

    public boolean has(Field field) {
        return values[field.ordinal()] != null;
    }

    /** Event time in UTC epoch milliseconds ({@code ts}); 0 when absent. */
    public long ts() {
        String ts = values[Field.TS.ordinal()];
        return ts == null ? 0L : Long.parseLong(ts);
    }

    public Instant time() {
        return Instant.ofEpochMilli(ts());
    }

    public String type() {
        return get(Field.TYPE);
    }

    /**
     * The event's kind for counts in reports: {@code type/operation}; for type {@code other} with a
     * channel (Windows events not mapped further), {@code other/<channel>/<event id>}.
     */
    public String kind() {
        return "other".equals(type()) && has(Field.CHANNEL) ? "other/" + get(Field.CHANNEL) + "/" + get(Field.EVENT_ID)
                : type() + "/" + operation();
    }

    public String operation() {
        return get(Field.OPERATION);
    }

    public String uid() {
        return get(Field.EVENT_UID);
    }

    /**
     * The event's main object, what an analyst reads first after type and operation: the file path,
     * remote address, registry key, DNS query, loaded image, target process or target user; for
     * process events the command line. Null when the event has none of these.
     */
    public String object() {
        String type = type();
        if ("network".equals(type)) {
            String ip = get(Field.REMOTE_IP);
            String port = get(Field.REMOTE_PORT);
            return ip == null ? null : port == null ? ip : ip + ":" + port;
        }
        for (Field f : OBJECT_FIELDS) {
            String v = get(f);
            if (v != null) {
                if (f == Field.REGISTRY_KEY && has(Field.REGISTRY_VALUE_NAME)) {
                    return v + "\\" + get(Field.REGISTRY_VALUE_NAME);
                }
                return v;
            }
        }
        return "process".equals(type) ? get(Field.COMMAND_LINE) : null;
    }

    private static final Field[] OBJECT_FIELDS = {
        Field.FILE_PATH, Field.REGISTRY_KEY, Field.DNS_QUERY, Field.IMAGE_PATH, Field.TARGET_PROCESS_PATH,
        Field.TARGET_USER, Field.REMOTE_IP
    };

    /** The present fields in canonical order, keyed by canonical name (for JSON and tables). */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (Field f : Field.all()) {
            String v = values[f.ordinal()];
            if (v != null) {
                map.put(f.canonicalName(), v);
            }
        }
        return map;
    }

    /**
     * Like {@link #toMap()} but with {@code ts} as ISO-8601 UTC text ({@code 2026-11-20T08:15:02.113Z}):
     * the form every output shows (tables, CSV, Excel, JSON API).
     */
    public Map<String, String> toDisplayMap() {
        Map<String, String> map = toMap();
        if (map.containsKey(Field.TS.canonicalName())) {
            map.put(Field.TS.canonicalName(), formatTime(ts()));
        }
        return map;
    }

    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** ISO-8601 UTC with exactly three fraction digits ({@code 2026-11-20T08:15:02.000Z}), so columns line up. */
    public static String formatTime(long epochMillis) {
        return UTC_MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }

    /** A builder pre-filled with this event's values, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder(values.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event e && Arrays.equals(values, e.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Event" + toMap();
    }

    /** Not thread-safe; reusable only until {@link #build()}. */
    public static final class Builder {
        private final String[] values;

        private Builder() {
            this(new String[Field.count()]);
        }

        private Builder(String[] values) {
            this.values = values;
        }

        /** Sets a field; a {@code null} or blank value leaves the field absent. */
        public Builder set(Field field, String value) {
            values[field.ordinal()] = value == null || value.isBlank() ? null : value;
            return this;
        }

        public Builder set(Field field, long value) {
            values[field.ordinal()] = Long.toString(value);
            return this;
        }

        public Builder ts(long epochMillis) {
            return set(Field.TS, epochMillis);
        }

        public String get(Field field) {
            return values[field.ordinal()];
        }

        /** Builds the event; {@code event_uid}, {@code ts} and {@code type} are required. */
        public Event build() {
            Objects.requireNonNull(values[Field.EVENT_UID.ordinal()], "event_uid is required");
            Objects.requireNonNull(values[Field.TS.ordinal()], "ts is required");
            Objects.requireNonNull(values[Field.TYPE.ordinal()], "type is required");
            return new Event(values.clone());
        }
    }
}
