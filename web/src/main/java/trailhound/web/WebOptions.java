package trailhound.web;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import trailhound.web.reputation.VirusTotalSettings;
import trailhound.web.tls.ServerCertificate;

/**
 * How to run the web app: where to listen, where the jte sources are for hot reload (null: use the
 * templates precompiled into the jar), the clock (UTC; injectable for tests), the optional
 * VirusTotal settings (null: the VirusTotal provider is off), the certificate to serve HTTPS with on
 * {@code port} (null: plain HTTP there) and, with a certificate, a plain HTTP port that redirects
 * every request to HTTPS ({@link #NO_REDIRECT}: none; 0: any free port), and how long a live connection
 * stays open without analyst activity ({@link #LIVE_IDLE} by default), the largest upload
 * ({@link #UPLOAD_MAX_BYTES} by default), the largest file kept as evidence from an endpoint, in
 * bytes ({@link #EVIDENCE_MAX_BYTES} by default), and the free space of the data folder a snapshot
 * capture must leave, in bytes ({@link #SNAPSHOT_RESERVE_BYTES} by default).
 */
public record WebOptions(String host, int port, Path templateSources, Clock clock, VirusTotalSettings virusTotal,
        ServerCertificate https, int httpRedirectPort, boolean initialPasswordChange, java.time.Duration liveIdle, long uploadMaxBytes,
        long evidenceMaxBytes, long snapshotReserveBytes, long liveExportMaxRows) {
    public static final int NO_REDIRECT = -1;
    /** The data folder's free space a snapshot capture leaves untouched, by default: 1 GiB. */
    public static final long SNAPSHOT_RESERVE_BYTES = 1L << 30;
    /** How long a live connection stays open without analyst activity on its endpoint, by default. */
    public static final java.time.Duration LIVE_IDLE = java.time.Duration.ofMinutes(10);
    /** The largest snapshot or telemetry file an upload may be, by default: 8 GiB. */
    public static final long UPLOAD_MAX_BYTES = 8L << 30;
    /** The largest file kept as evidence from a live endpoint, by default: 2 GiB. */
    public static final long EVIDENCE_MAX_BYTES = 2L << 30;
    /** The most rows an export from a live connection's view writes, by default (the seed's limit). */
    public static final long LIVE_EXPORT_MAX_ROWS = 10_000;

    public WebOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(liveIdle, "liveIdle");
        if (evidenceMaxBytes < 1) throw new IllegalArgumentException("the evidence size cap must be 1 byte or more, was " + evidenceMaxBytes);
        if (snapshotReserveBytes < 0) throw new IllegalArgumentException("the snapshot reserve must be 0 bytes or more, was " + snapshotReserveBytes);
        if (liveExportMaxRows < 1) {
            throw new IllegalArgumentException("the live export row limit must be 1 or more, was " + liveExportMaxRows);
        }
        if (uploadMaxBytes < 1) throw new IllegalArgumentException("the upload size cap must be 1 byte or more, was " + uploadMaxBytes);
        if (liveIdle.toSeconds() < 1) throw new IllegalArgumentException("the live idle time must be 1 s or more, was " + liveIdle);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 (0: any free port), was " + port);
        }
        if (httpRedirectPort != NO_REDIRECT && (https == null || httpRedirectPort < 0 || httpRedirectPort > 65535)) {
            throw new IllegalArgumentException(https == null ? "a plain HTTP port redirects to HTTPS: it needs a certificate"
                    : "the plain HTTP port must be 0..65535 (0: any free port), was " + httpRedirectPort);
        }
    }

    /**
     * Plain HTTP on loopback, port 7070, precompiled templates unless {@code trailhound.dev=true} (system property)
     * or {@code TRAILHOUND_DEV=true} (environment) and {@code web/src/main/jte} is found from the
     * working folder, VirusTotal from the environment ({@code TRAILHOUND_VT_API_KEY}, see {@link VirusTotalSettings#fromEnvironment}).
     */
    public static WebOptions defaults() {
        return new WebOptions("127.0.0.1", 7070, Templates.sourceTreeForHotReload(), Clock.systemUTC(),
                VirusTotalSettings.fromEnvironment(System.getenv()).orElse(null), null, NO_REDIRECT, true, LIVE_IDLE, UPLOAD_MAX_BYTES,
                EVIDENCE_MAX_BYTES, SNAPSHOT_RESERVE_BYTES, LIVE_EXPORT_MAX_ROWS);
    }

    public WebOptions withPort(int newPort) {
        return new WebOptions(host, newPort, templateSources, clock, virusTotal, https, httpRedirectPort, initialPasswordChange, liveIdle, uploadMaxBytes,
                evidenceMaxBytes, snapshotReserveBytes, liveExportMaxRows);
    }

    public WebOptions withHost(String newHost) {
        return new WebOptions(newHost, port, templateSources, clock, virusTotal, https, httpRedirectPort, initialPasswordChange, liveIdle, uploadMaxBytes,
                evidenceMaxBytes, snapshotReserveBytes, liveExportMaxRows);
    }

    public WebOptions withTemplateSources(Path sources) {
        return new WebOptions(host, port, sources, clock, virusTotal, https, httpRedirectPort, initialPasswordChange, liveIdle, uploadMaxBytes,
                evidenceMaxBytes, snapshotReserveBytes, liveExportMaxRows);
    }

    public WebOptions withClock(Clock newClock) {
        return new WebOptions(host, port, templateSources, newClock, virusTotal, https, httpRedirectPort, initialPasswordChange, liveIdle, uploadMaxBytes,
                evidenceMaxBytes, snapshotReserveBytes, liveExportMaxRows);
    }

    public WebOptions withVirusTotal(VirusTotalSettings settings) {
        return new WebOptions(host, port, templateSources, clock, settings, https, httpRedirectPort, initialPasswordChange, liveIdle, uploadMaxBytes,
                evidenceMaxBytes, snapshotReserveBytes, liveExportMaxRows);
    }

    /** Serves HTTPS with {@code certificate} on the port (null: plain HTTP, and no redirect port). */
    public WebOptions withHttps(ServerCertificate certificate) {
        return new WebOptions(host, port, templateSources, clock, virusTotal, certificate,
                certificate == null ? NO_REDIRECT : httpRedirectPort, initialPasswordChange, liveIdle, uploadMaxBytes,
                evidenceMaxBytes, snapshotReserveBytes, liveExportMaxRows);
    }

    /** Also listens on plain HTTP on {@code newPort}, redirecting to HTTPS (needs {@link #withHttps} first). */
    public WebOptions withHttpRedirectPort(int newPort) {
        return new WebOptions(host, port, templateSources, clock, virusTotal, https, newPort, initialPasswordChange, liveIdle, uploadMaxBytes,
                evidenceMaxBytes, snapshotReserveBytes, liveExportMaxRows);
    }

    /** Whether the first {@code admin}'s generated password must be changed at first sign-in (default: yes; the loopback demo: no). */
    public WebOptions withInitialPasswordChange(boolean required) {
        return new WebOptions(host, port, templateSources, clock, virusTotal, https, httpRedirectPort, required, liveIdle, uploadMaxBytes,
                evidenceMaxBytes, snapshotReserveBytes, liveExportMaxRows);
    }

    /** How long a live connection stays open without analyst activity on its endpoint (at least 1 s). */
    public WebOptions withLiveIdle(java.time.Duration idle) {
        return new WebOptions(host, port, templateSources, clock, virusTotal, https, httpRedirectPort, initialPasswordChange, idle, uploadMaxBytes,
                evidenceMaxBytes, snapshotReserveBytes, liveExportMaxRows);
    }

    /** The largest snapshot or telemetry file {@code POST /api/v1/snapshots} takes, in bytes. */
    public WebOptions withUploadMaxBytes(long bytes) {
        return new WebOptions(host, port, templateSources, clock, virusTotal, https, httpRedirectPort, initialPasswordChange, liveIdle, bytes,
                evidenceMaxBytes, snapshotReserveBytes, liveExportMaxRows);
    }

    public WebOptions withEvidenceMaxBytes(long bytes) {
        return new WebOptions(host, port, templateSources, clock, virusTotal, https, httpRedirectPort, initialPasswordChange, liveIdle,
                uploadMaxBytes, bytes, snapshotReserveBytes, liveExportMaxRows);
    }

    /** The data folder's free space a snapshot capture leaves untouched, in bytes (beside twice the capture's size). */
    public WebOptions withSnapshotReserveBytes(long bytes) {
        return new WebOptions(host, port, templateSources, clock, virusTotal, https, httpRedirectPort, initialPasswordChange, liveIdle,
                uploadMaxBytes, evidenceMaxBytes, bytes, liveExportMaxRows);
    }

    /** An export from a live connection's view stops after this many rows (at least 1). */
    public WebOptions withLiveExportMaxRows(long rows) {
        return new WebOptions(host, port, templateSources, clock, virusTotal, https, httpRedirectPort, initialPasswordChange, liveIdle,
                uploadMaxBytes, evidenceMaxBytes, snapshotReserveBytes, rows);
    }
}
