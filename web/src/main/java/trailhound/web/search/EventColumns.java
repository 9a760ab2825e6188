package trailhound.web.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.web.Format;
import trailhound.web.pivot.Pivot;

/**
 * Which columns the grid shows: the common ones (time, type, operation, process, PID, user) and then
 * the fields of the event type when a page holds one type only, else the event's main object; or,
 * for the search grid, the time and the columns chosen ({@code cols}).
 */
public final class EventColumns {
    private static final List<Field> COMMON =
            List.of(Field.TS, Field.TYPE, Field.OPERATION, Field.PROCESS_NAME, Field.PID, Field.USER);

    private static final Map<String, List<Field>> BY_TYPE = Map.of(
            "process", List.of(Field.COMMAND_LINE, Field.PARENT_PATH, Field.HASH_SHA256, Field.TARGET_PROCESS_PATH, Field.GRANTED_ACCESS),
            "file", List.of(Field.FILE_PATH, Field.FILE_NEW_PATH),
            "network", List.of(Field.PROTOCOL, Field.DIRECTION, Field.LOCAL_IP, Field.LOCAL_PORT, Field.REMOTE_IP, Field.REMOTE_PORT),
            "dns", List.of(Field.DNS_QUERY, Field.DNS_ANSWER),
            "registry", List.of(Field.REGISTRY_KEY, Field.REGISTRY_VALUE_NAME, Field.REGISTRY_VALUE_DATA),
            "image", List.of(Field.IMAGE_PATH, Field.SIGNATURE),
            "driver", List.of(Field.IMAGE_PATH, Field.SIGNATURE),
            "security", List.of(Field.TARGET_USER, Field.LOGON_TYPE, Field.LOGON_SOURCE_IP));

    private EventColumns() {}

    /** Column headers and, per event, the cells; the last header is "Object" for mixed pages. */
    public static Grid grid(List<Event> events) {
        Set<String> types = events.stream().map(Event::type).collect(Collectors.toSet());
        List<Field> specific = types.size() == 1 ? BY_TYPE.get(types.iterator().next()) : null;
        List<String> headers = new ArrayList<>(COMMON.stream().map(Field::label).toList());
        if (specific == null) {
            headers.add("Object");
        } else {
            specific.forEach(f -> headers.add(f.label()));
        }
        List<GridRow> rows = events.stream().map(e -> {
            List<String> cells = new ArrayList<>(COMMON.size() + 6);
            List<Pivot> pivots = new ArrayList<>(COMMON.size() + 6);
            for (Field f : COMMON) {
                cells.add(f == Field.TS ? Format.utc(e.ts()) : e.get(f));
                pivots.add(Pivot.of(e, f));
            }
            if (specific == null) {
                cells.add(e.object());
                pivots.add(Pivot.object(e));
            } else {
                specific.forEach(f -> {
                    cells.add(e.get(f));
                    pivots.add(Pivot.of(e, f));
                });
            }
            return new GridRow(e.uid(), e.ts(), e.get(Field.PROCESS_KEY), cells, java.util.Collections.unmodifiableList(pivots));
        }).toList();
        return new Grid(headers, rows);
    }

    public record Grid(List<String> headers, List<GridRow> rows) {}

    /**
     * The search grid's columns and rows: time first, then the chosen fields (empty: the columns
     * {@link #grid} picks by event type), each cell holding the values it shows with their fields.
     */
    public static Table table(List<Event> events, List<Field> chosen) {
        List<Field> fields;
        boolean object = false;
        if (chosen.isEmpty()) {
            Set<String> types = events.stream().map(Event::type).collect(Collectors.toSet());
            List<Field> specific = types.size() == 1 ? BY_TYPE.get(types.iterator().next()) : null;
            fields = new ArrayList<>(COMMON);
            if (specific == null) {
                object = true;
            } else {
                fields.addAll(specific);
            }
        } else {
            fields = new ArrayList<>(List.of(Field.TS));
            chosen.stream().filter(f -> f != Field.TS).forEach(fields::add);
        }
        List<Column> columns = new ArrayList<>(fields.stream().map(f -> new Column(f, f.label())).toList());
        if (object) columns.add(new Column(null, "Object"));
        boolean withObject = object;
        List<EventRow> rows = events.stream().map(e -> {
            List<List<CellValue>> cells = new ArrayList<>(columns.size());
            for (Field f : fields) cells.add(values(e, f));
            if (withObject) cells.add(objectValues(e));
            List<EventRow.Detail> details = new ArrayList<>();
            for (Field f : Field.all()) {
                if (e.has(f)) details.add(new EventRow.Detail(f.label(), value(e, f)));
            }
            return new EventRow(e.uid(), e.ts(), e.get(Field.PROCESS_KEY), cells, details);
        }).toList();
        return new Table(columns, rows);
    }

    /** A grid column: its field (null for the composite "Object") and header label. */
    public record Column(Field field, String label) {}

    public record Table(List<Column> columns, List<EventRow> rows) {}

    /** The field's value as shown and pivoted on: ts as UTC text, anything else as stored. */
    private static CellValue value(Event e, Field f) {
        return CellValue.of(f.canonicalName(), f == Field.TS ? Format.utc(e.ts()) : e.get(f));
    }

    private static List<CellValue> values(Event e, Field f) {
        return f == Field.TS || e.has(f) ? List.of(value(e, f)) : List.of();
    }

    /**
     * The event's main object ({@link Event#object}) as the values it is made of, so each keeps its
     * own field: remote IP and port, registry key and value name, or the one field.
     */
    private static List<CellValue> objectValues(Event e) {
        if ("network".equals(e.type()) && e.has(Field.REMOTE_IP)) {
            return e.has(Field.REMOTE_PORT)
                    ? List.of(value(e, Field.REMOTE_IP), new CellValue(":", Field.REMOTE_PORT.canonicalName(), e.get(Field.REMOTE_PORT)))
                    : List.of(value(e, Field.REMOTE_IP));
        }
        for (Field f : OBJECT_FIELDS) {
            if (!e.has(f)) continue;
            if (f == Field.REGISTRY_KEY && e.has(Field.REGISTRY_VALUE_NAME)) {
                return List.of(value(e, f), new CellValue("\\", Field.REGISTRY_VALUE_NAME.canonicalName(), e.get(Field.REGISTRY_VALUE_NAME)));
            }
            return List.of(value(e, f));
        }
        return "process".equals(e.type()) && e.has(Field.COMMAND_LINE) ? List.of(value(e, Field.COMMAND_LINE)) : List.of();
    }

    // as Event.object(), which answers text only
    private static final Field[] OBJECT_FIELDS = {
        Field.FILE_PATH, Field.REGISTRY_KEY, Field.DNS_QUERY, Field.IMAGE_PATH, Field.TARGET_PROCESS_PATH,
        Field.TARGET_USER, Field.REMOTE_IP
    };
}
