package trailhound.web.reputation;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach VirusTotal v3: the API key, the base URL (tests point it at a local stub), the
 * request budget ({@code requests} per {@code per}; the public API allows 4 a minute) and how
 * long an answer is cached.
 */
public record VirusTotalSettings(String apiKey, URI baseUrl, int requests, Duration per, Duration cacheFor) {
    public static final URI PUBLIC_API = URI.create("https://www.virustotal.com/api/v3/");

    public VirusTotalSettings {
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (apiKey.isBlank()) {
            throw new IllegalArgumentException("VirusTotal API key is blank");
        }
        if (requests < 1) {
            throw new IllegalArgumentException("VirusTotal request budget must be at least 1, was " + requests);
        }
        if (!baseUrl.toString().endsWith("/")) {
            baseUrl = URI.create(baseUrl + "/");
        }
    }

    /** The public API with its free-tier budget (4 requests a minute), answers cached for a day. */
    public static VirusTotalSettings publicApi(String apiKey) {
        return new VirusTotalSettings(apiKey, PUBLIC_API, 4, Duration.ofMinutes(1), Duration.ofDays(1));
    }

    /**
     * From the environment: {@code TRAILHOUND_VT_API_KEY} enables the client,
     * {@code TRAILHOUND_VT_BASE_URL} and {@code TRAILHOUND_VT_REQUESTS_PER_MINUTE} override the defaults.
     * Empty when no key is set.
     */
    public static Optional<VirusTotalSettings> fromEnvironment(Map<String, String> env) {
        String key = env.get("TRAILHOUND_VT_API_KEY");
        if (key == null || key.isBlank()) {
            return Optional.empty();
        }
        VirusTotalSettings s = publicApi(key.strip());
        String base = env.get("TRAILHOUND_VT_BASE_URL");
        String perMinute = env.get("TRAILHOUND_VT_REQUESTS_PER_MINUTE");
        int requests;
        try {
            requests = perMinute == null || perMinute.isBlank() ? s.requests() : Integer.parseInt(perMinute.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "TRAILHOUND_VT_REQUESTS_PER_MINUTE must be a whole number, was '" + perMinute + "'");
        }
        return Optional.of(new VirusTotalSettings(s.apiKey(),
                base == null || base.isBlank() ? s.baseUrl() : URI.create(base.strip()),
                requests, s.per(), s.cacheFor()));
    }

    @Override
    public String toString() {
        // Never print the key.
        return "VirusTotalSettings[baseUrl=" + baseUrl + ", requests=" + requests + " per " + per + "]";
    }
}
