package trailhound.web;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import trailhound.web.reputation.VirusTotalSettings;

/**
 * How to run the web app: where to listen, where the jte sources are for hot reload (null: use the
 * templates precompiled into the jar), the clock (UTC; injectable for tests) and the optional
 * VirusTotal settings (null: the VirusTotal provider is off).
 */
public record WebOptions(String host, int port, Path templateSources, Clock clock, VirusTotalSettings virusTotal,
        boolean initialPasswordChange) {

    public WebOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(clock, "clock");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 (0: any free port), was " + port);
        }
    }

    /**
     * Loopback, port 7070, precompiled templates unless {@code trailhound.dev=true} (system property)
     * or {@code TRAILHOUND_DEV=true} (environment) and {@code web/src/main/jte} is found from the
     * working folder, VirusTotal from the environment ({@code TRAILHOUND_VT_API_KEY}, see {@link VirusTotalSettings#fromEnvironment}).
     */
    public static WebOptions defaults() {
        return new WebOptions("127.0.0.1", 7070, Templates.sourceTreeForHotReload(), Clock.systemUTC(),
                VirusTotalSettings.fromEnvironment(System.getenv()).orElse(null), true);
    }

    public WebOptions withPort(int newPort) {
        return new WebOptions(host, newPort, templateSources, clock, virusTotal, initialPasswordChange);
    }

    public WebOptions withHost(String newHost) {
        return new WebOptions(newHost, port, templateSources, clock, virusTotal, initialPasswordChange);
    }

    public WebOptions withTemplateSources(Path sources) {
        return new WebOptions(host, port, sources, clock, virusTotal, initialPasswordChange);
    }

    public WebOptions withClock(Clock newClock) {
        return new WebOptions(host, port, templateSources, newClock, virusTotal, initialPasswordChange);
    }

    /** Whether the first {@code admin}'s generated password must be changed at first sign-in (default: yes; the loopback demo: no). */
    public WebOptions withInitialPasswordChange(boolean required) {
        return new WebOptions(host, port, templateSources, clock, virusTotal, required);
    }

    public WebOptions withVirusTotal(VirusTotalSettings settings) {
        return new WebOptions(host, port, templateSources, clock, settings, initialPasswordChange);
    }
}
