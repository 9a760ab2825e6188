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
 * the fields of the event type when a page holds one type only, else the event's main object.
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
}
