package trailhound.web.reputation;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import trailhound.access.Action;
import trailhound.web.Routes;
import trailhound.web.WebContext;

/**
 * The Reputation Report Details page {@code /reputation/{hash}}, its JSON twin
 * {@code /api/v1/reputation/{hash}} and the badge fragment {@code /reputation/{hash}/badge} that
 * htmx polls while a lookup is pending.
 *
 * <p>The page and its twin also say where the caller may see the hash ({@link Sightings}); the twin:
 * <pre>{@code
 * {"hash": "...", "verdict": "malicious", "sources": [...],
 *  "seen": {"total": 42, "endpoint_count": 2, "process_count": 3, "complete": true, "hunt_url": "/hunt?q=hash%3A...",
 *           "endpoints": [{"endpoint": "WS-01", "events": 40, "first_seen": "2026-...Z", "last_seen": "...", "events_url": "..."}],
 *           "processes": [{"endpoint": "WS-01", "process_key": "...", "image_path": "C:\\...", "events": 3,
 *                          "first_seen": "...", "last_seen": "...", "process_url": "..."}]}}
 * }</pre>
 * Times are UTC ISO-8601, counts exact; {@code complete} false means the lists are cut (see
 * {@link Sightings}) and the Hunt page has the rest.
 */
public final class ReputationPages {
    private ReputationPages() {}

    public static void register(Routes routes, WebContext ctx) {
        routes.get("/reputation/{hash}", Action.VIEW, http -> {
            ReputationReport report = report(http, ctx);
            ctx.render(http, "reputation/report.jte", new ReputationPage(ctx.chrome(http, "Reputation report"), report,
                    Sightings.of(ctx.scope(http), report.hash())));
        });
        routes.get("/reputation/{hash}/badge", Action.VIEW, http -> ctx.render(http, "reputation/badge-fragment.jte",
                new Badge(report(http, ctx), badgeId(http.queryParam("id")))));
        routes.get("/api/v1/reputation/{hash}", Action.VIEW, http -> {
            ReputationReport report = report(http, ctx);
            http.json(api(report, Sightings.of(ctx.scope(http), report.hash())));
        });
    }

    /** The badge's element id: the page's one main badge, one per hash kind beside it, or none ({@code none}: one of many). */
    private static String badgeId(String asked) {
        if ("none".equals(asked)) return null;
        return asked != null && asked.matches("reputation-badge(-(md5|sha1|sha256))?") ? asked : Badge.MAIN;
    }

    private static Map<String, Object> api(ReputationReport report, Sightings seen) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hash", report.hash());
        out.put("verdict", report.verdict());
        out.put("sources", report.sources());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("total", seen.total());
        s.put("endpoint_count", seen.endpointCount());
        s.put("process_count", seen.processCount());
        s.put("complete", seen.complete());
        s.put("hunt_url", seen.huntUrl());
        s.put("endpoints", seen.endpoints().stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("endpoint", e.endpoint());
            m.put("events", e.events());
            m.put("first_seen", e.first());
            m.put("last_seen", e.last());
            m.put("events_url", e.eventsUrl());
            return m;
        }).toList());
        s.put("processes", seen.processes().stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("endpoint", p.endpoint());
            m.put("process_key", p.processKey());
            m.put("image_path", p.imagePath());
            m.put("events", p.events());
            m.put("first_seen", p.first());
            m.put("last_seen", p.last());
            m.put("process_url", p.processUrl());
            return m;
        }).toList());
        out.put("seen", s);
        return out;
    }

    private static ReputationReport report(Context http, WebContext ctx) {
        String hash = http.pathParam("hash");
        if (!Hashes.isHash(hash.strip())) {
            throw new BadRequestResponse("'" + hash + "' is not a hash: expected 32 (MD5), 40 (SHA-1) or 64 (SHA-256) hex digits");
        }
        return ctx.reputation().report(hash);
    }
}
