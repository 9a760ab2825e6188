package trailhound.web.search;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import trailhound.access.Action;
import trailhound.access.Scope;
import trailhound.index.EventIndex;
import trailhound.index.TermCount;
import trailhound.query.QueryLanguage;
import trailhound.schema.Field;
import trailhound.schema.FieldKind;
import trailhound.web.BadRequest;
import trailhound.web.Format;
import trailhound.web.Routes;
import trailhound.web.WebContext;

/**
 * What the typed query box offers while one types:
 * {@code GET /api/v1/endpoints/{endpoint}/suggest?field=&prefix=&limit=}.
 *
 * <ul>
 *   <li>With {@code field} (a field name or an alias, as the query language takes it): the values of
 *       that field on this endpoint starting with {@code prefix}, case-insensitive, lower case as the
 *       index holds them, with how many events have each, most first (an alias: the events with the
 *       value in any of its fields, as {@code alias:value} counts them);
 *   <li>without: the field names and aliases starting with {@code prefix} ({@code count} null).
 * </ul>
 * <pre>{@code
 * {"endpoint": "WS-01", "field": "process_name", "prefix": "pow",
 *  "suggestions": [{"value": "powershell.exe", "count": 42}, ...]}
 * }</pre>
 * {@code limit} 1 to {@value EventIndex#MAX_SUGGESTIONS} (default 10); {@code prefix} at most
 * {@value EventIndex#MAX_SUGGEST_PREFIX} characters, taken literally (no wildcard, no regex). 400 for an
 * unknown field, {@code ts} (times have ranges, not values to list) and bad limits; 404 for an endpoint
 * the caller may not see. Not audited (see {@link Scope#suggest}).
 */
public final class SuggestApi {
    static final int DEFAULT_LIMIT = 10;

    private final WebContext ctx;

    private SuggestApi(WebContext ctx) {
        this.ctx = ctx;
    }

    public static void register(Routes routes, WebContext ctx) {
        routes.get("/api/v1/endpoints/{endpoint}/suggest", Action.VIEW, new SuggestApi(ctx)::suggest);
    }

    private void suggest(Context http) throws Exception {
        Scope scope = ctx.scope(http);
        String endpoint = Format.unsegment(http.pathParam("endpoint"));
        scope.endpoint(endpoint); // 404 for one outside the caller's groups, before any parameter is judged
        String fieldName = http.queryParam("field");
        String prefix = http.queryParam("prefix") == null ? "" : http.queryParam("prefix");
        if (prefix.length() > EventIndex.MAX_SUGGEST_PREFIX) {
            throw new BadRequest("prefix holds at most " + EventIndex.MAX_SUGGEST_PREFIX + " characters, was " + prefix.length());
        }
        int limit = limit(http.queryParam("limit"));
        List<Map<String, Object>> suggestions;
        if (fieldName == null || fieldName.isBlank()) {
            String lower = prefix.toLowerCase(Locale.ROOT);
            suggestions = QueryLanguage.fieldNames().stream().filter(n -> n.startsWith(lower)).limit(limit)
                    .map(n -> suggestion(n, null)).toList();
        } else {
            List<Field> fields = QueryLanguage.fields(fieldName.strip()).orElseThrow(() -> new BadRequest("unknown field '" + fieldName
                    + "': leave 'field' out to list the field names"));
            if (fields.stream().anyMatch(f -> f.kind() == FieldKind.TIME)) {
                throw new BadRequest("'" + fieldName + "' takes times and ranges (ts:>now-1h, ts:[2026-11-19 TO now]), it has no values"
                        + " to suggest");
            }
            List<TermCount> found = scope.suggest(endpoint, fields, prefix, limit);
            suggestions = found.stream().map(t -> suggestion(t.term(), t.count())).toList();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("endpoint", endpoint);
        body.put("field", fieldName == null || fieldName.isBlank() ? null : fieldName.strip());
        body.put("prefix", prefix);
        body.put("suggestions", suggestions);
        http.json(body);
    }

    private static Map<String, Object> suggestion(String value, Long count) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", value);
        m.put("count", count);
        return m;
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) return DEFAULT_LIMIT;
        int limit;
        try {
            limit = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > EventIndex.MAX_SUGGESTIONS) {
            throw new BadRequest("limit must be a whole number from 1 to " + EventIndex.MAX_SUGGESTIONS + ", was '" + text + "'");
        }
        return limit;
    }
}
