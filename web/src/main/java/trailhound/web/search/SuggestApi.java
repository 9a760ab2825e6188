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
 *
 * <p>The hunt page's box: {@code GET /api/v1/suggest?field=&prefix=&limit=}, the same over the
 * endpoints the caller may see, counts summed, at most {@value #HUNT_ENDPOINTS} endpoints consulted (the
 * ones open already first; {@code endpoints_searched} of {@code endpoints} says how many were):
 * <pre>{@code
 * {"field": "process_name", "prefix": "pow", "endpoints_searched": 12, "endpoints": 12,
 *  "suggestions": [{"value": "powershell.exe", "count": 420}, ...]}
 * }</pre>
 */
public final class SuggestApi {
    static final int DEFAULT_LIMIT = 10;

    /**
     * Endpoints a hunt suggestion consults at most. A cold endpoint costs a transient index open (a hunt
     * over 1,000 cold endpoints takes about 2 s, docs/performance.md); this many keep an answer within
     * a typing pause on this project's 2-core machine (see docs/decisions.md).
     */
    static final int HUNT_ENDPOINTS = 50;

    private final WebContext ctx;

    private SuggestApi(WebContext ctx) {
        this.ctx = ctx;
    }

    public static void register(Routes routes, WebContext ctx) {
        SuggestApi api = new SuggestApi(ctx);
        routes.get("/api/v1/endpoints/{endpoint}/suggest", Action.VIEW, api::suggest);
        routes.get("/api/v1/suggest", Action.VIEW, api::suggestAcross);
    }

    /** The hunt page's: values over the endpoints the caller may see, at most {@value #HUNT_ENDPOINTS} of them. */
    private void suggestAcross(Context http) throws Exception {
        Scope scope = ctx.scope(http);
        String fieldName = http.queryParam("field");
        String prefix = prefix(http);
        int limit = limit(http.queryParam("limit"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("field", fieldName == null || fieldName.isBlank() ? null : fieldName.strip());
        body.put("prefix", prefix);
        if (fieldName == null || fieldName.isBlank()) {
            body.put("suggestions", fieldNames(prefix, limit));
        } else {
            trailhound.index.HuntSuggestions found = scope.suggest(fields(fieldName), prefix, limit, HUNT_ENDPOINTS);
            body.put("endpoints_searched", found.searched());
            body.put("endpoints", found.endpoints());
            body.put("suggestions", found.values().stream().map(t -> suggestion(t.term(), t.count())).toList());
        }
        http.json(body);
    }

    private static String prefix(Context http) {
        String prefix = http.queryParam("prefix") == null ? "" : http.queryParam("prefix");
        if (prefix.length() > EventIndex.MAX_SUGGEST_PREFIX) {
            throw new BadRequest("prefix holds at most " + EventIndex.MAX_SUGGEST_PREFIX + " characters, was " + prefix.length());
        }
        return prefix;
    }

    private static List<Map<String, Object>> fieldNames(String prefix, int limit) {
        String lower = prefix.toLowerCase(Locale.ROOT);
        return QueryLanguage.fieldNames().stream().filter(n -> n.startsWith(lower)).limit(limit).map(n -> suggestion(n, null)).toList();
    }

    /** The field or alias's fields; 400 for an unknown field or ts. */
    private static List<Field> fields(String fieldName) {
        List<Field> fields = QueryLanguage.fields(fieldName.strip()).orElseThrow(() -> new BadRequest("unknown field '" + fieldName
                + "': leave 'field' out to list the field names"));
        if (fields.stream().anyMatch(f -> f.kind() == FieldKind.TIME)) {
            throw new BadRequest("'" + fieldName + "' takes times and ranges (ts:>now-1h, ts:[2026-11-19 TO now]), it has no values"
                    + " to suggest");
        }
        return fields;
    }

    private void suggest(Context http) throws Exception {
        Scope scope = ctx.scope(http);
        String endpoint = Format.unsegment(http.pathParam("endpoint"));
        scope.endpoint(endpoint); // 404 for one outside the caller's groups, before any parameter is judged
        String fieldName = http.queryParam("field");
        String prefix = prefix(http);
        int limit = limit(http.queryParam("limit"));
        List<Map<String, Object>> suggestions;
        if (fieldName == null || fieldName.isBlank()) {
            suggestions = fieldNames(prefix, limit);
        } else {
            List<TermCount> found = scope.suggest(endpoint, fields(fieldName), prefix, limit);
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
