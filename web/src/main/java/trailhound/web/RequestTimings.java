package trailhound.web;

import io.javalin.config.RoutesConfig;

/**
 * Adds a {@code Server-Timing: app;dur=<ms>} header to every response, so the benchmark (and a
 * browser's network panel) can tell server time from network and client time.
 */
final class RequestTimings {
    private static final String START = "trailhound.start";

    private RequestTimings() {}

    static void register(RoutesConfig routes) {
        routes.before(http -> http.attribute(START, System.nanoTime()));
        routes.after(http -> {
            Long start = http.attribute(START);
            if (start != null) {
                double ms = (System.nanoTime() - start) / 1_000_000.0;
                http.header("Server-Timing", String.format(java.util.Locale.ROOT, "app;dur=%.1f", ms));
            }
        });
    }
}
