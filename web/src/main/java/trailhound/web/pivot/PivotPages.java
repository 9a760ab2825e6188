package trailhound.web.pivot;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trailhound.access.Action;
import trailhound.access.Scope;
import trailhound.query.BuilderQuery;
import trailhound.query.BuilderRow;
import trailhound.query.Parameter;
import trailhound.schema.Field;
import trailhound.web.BadRequest;
import trailhound.web.Format;
import trailhound.web.Routes;
import trailhound.web.WebContext;

/**
 * The server side of the pivot menu ({@code static/js/pivot.js}); filter for / out go through the
 * grid's builder ({@code /endpoints/{ep}/events/builder?action=add...}), which writes the row's
 * text, so a value is quoted in one place ({@link BuilderQuery}).
 *
 * <ul>
 *   <li>{@code GET /hunt/pivot?field=&value=&from=&to=}: redirects to the hunt ({@code /hunt?q=})
 *       for the value over every endpoint the caller may see, the window kept. Hashes are looked
 *       for in every hash field ({@code hash:}), local and remote addresses in both ({@code ip:}),
 *       anything else in its own field.
 *   <li>{@code GET /api/v1/endpoints/{endpoint}/links?field=&value=&ts=}: the other endpoints the
 *       value names ({@link EndpointLinks}), {@code {"endpoint", "field", "value", "links": [{"endpoint",
 *       "field", "match", "from", "to", "url"}]}}; {@code ts} is the event's time (epoch milliseconds
 *       or ISO-8601). 404 for an endpoint the caller does not see.
 * </ul>
 * A missing or unknown field, an empty value or a bad time is a 400 that names it.
 */
public final class PivotPages {
    private final WebContext ctx;

    private PivotPages(WebContext ctx) {
        this.ctx = ctx;
    }

    public static void register(Routes routes, WebContext ctx) {
        PivotPages pages = new PivotPages(ctx);
        routes.get("/hunt/pivot", Action.VIEW, pages::hunt);
        routes.get("/api/v1/endpoints/{endpoint}/links", Action.VIEW, pages::links);
    }

    private void hunt(Context http) {
        Field field = field(http);
        String value = value(http);
        String text = huntQuery(field, value);
        StringBuilder url = new StringBuilder("/hunt?q=").append(Format.url(text));
        for (String p : List.of("from", "to")) {
            String v = http.queryParam(p);
            if (v != null && !v.isBlank()) url.append('&').append(p).append('=').append(Format.url(v.strip()));
        }
        http.redirect(url.toString());
    }

    /** The hunt's query text for one value of a field: exact, whatever the value holds. */
    static String huntQuery(Field field, String value) {
        String name = switch (field) {
            case HASH_MD5, HASH_SHA1, HASH_SHA256 -> "hash";
            case LOCAL_IP, REMOTE_IP -> "ip";
            default -> field.canonicalName();
        };
        try {
            return BuilderQuery.render(List.of(BuilderRow.and(Parameter.byName(name).orElseThrow(), BuilderRow.Operand.EQUALS, value)));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("cannot search every endpoint for " + field.canonicalName() + " '" + value + "': " + e.getMessage());
        }
    }

    private void links(Context http) throws Exception {
        String endpoint = Format.unsegment(http.pathParam("endpoint"));
        Scope access = ctx.scope(http);
        access.endpoint(endpoint); // 404 for one outside the caller's groups, the refusal audited
        Field field = field(http);
        String value = value(http);
        long ts = time(http.queryParam("ts"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("endpoint", endpoint);
        body.put("field", field.canonicalName());
        body.put("value", value);
        body.put("links", EndpointLinks.of(access, endpoint).find(field, value, ts));
        http.json(body);
    }

    private static Field field(Context http) {
        String name = http.queryParam("field");
        if (name == null || name.isBlank()) throw new BadRequest("parameter 'field' is missing: a canonical field name such as user");
        return Field.byName(name.strip()).orElseThrow(() -> new BadRequest(
                "unknown field '" + name + "': use a canonical field name such as user, remote_ip or hash_sha256"));
    }

    private static String value(Context http) {
        String value = http.queryParam("value");
        if (value == null || value.isEmpty()) throw new BadRequest("parameter 'value' is missing or empty");
        return value;
    }

    private static long time(String text) {
        if (text == null || text.isBlank()) {
            throw new BadRequest("parameter 'ts' is missing: the event's time, epoch milliseconds or ISO-8601 such as 2026-11-19T07:00:00Z");
        }
        String t = text.strip();
        try {
            return t.chars().allMatch(Character::isDigit) ? Long.parseLong(t) : Instant.parse(t).toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new BadRequest("parameter 'ts' must be epoch milliseconds or ISO-8601 such as 2026-11-19T07:00:00Z, was '" + text + "'");
        }
    }
}
