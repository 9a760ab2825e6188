package trailhound.app;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.ingest.DataDir;
import trailhound.ingest.WriterLock;
import trailhound.web.WebOptions;
import trailhound.web.tls.ServerCertificate;

@Command(name = "serve", mixinStandardHelpOptions = true, description = {"Serve a data folder in the browser, over HTTPS.",
    "The certificate and key are certs/httpPublicCert.pem and certs/httpPrivKey.pem in the data folder; when neither"
        + " exists, a self-signed pair is made there on the first start (docs/https.md).",
    "While it runs, commands that write the folder (ingest, reindex) hand their work to it."})
final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;

    @Mixin ListenOptions listen;

    @Mixin IndexBackendOptions backend;

    @Option(names = "--http-port", paramLabel = "N", description = {"Also listen on plain HTTP on port N, answering every"
            + " request with a redirect to HTTPS (default: off; 0 picks a free port)."})
    Integer httpPort;

    @Option(names = "--live-idle", paramLabel = "DURATION", defaultValue = "10m", description = {"Close a live connection after this"
            + " long without analyst activity on its endpoint (searches, process pages), e.g. 90s, 10m, 1h (default: ${DEFAULT-VALUE})."})
    String liveIdle;

    @Option(names = "--upload-max-size", paramLabel = "SIZE", defaultValue = "8g", description = {"The largest snapshot or telemetry"
            + " file Saved evidence > Upload snapshot (POST /api/v1/snapshots) takes, in bytes or with k, m or g (binary) (default: ${DEFAULT-VALUE})."})
    String uploadMaxSize;

    @Option(names = "--evidence-max-size", paramLabel = "SIZE", defaultValue = "2g", description = {"The largest file kept as evidence"
            + " from a live endpoint, in bytes or with k, m or g (binary), e.g. 500m (default: ${DEFAULT-VALUE})."})
    String evidenceMaxSize;

    @Option(names = "--snapshot-reserve", paramLabel = "SIZE", defaultValue = "1g", description = {"The free space of the data folder"
            + " a snapshot capture from a live endpoint leaves untouched, beside twice the recorder database's size, in bytes or with"
            + " k, m or g (binary) (default: ${DEFAULT-VALUE})."})
    String snapshotReserve;

    @Option(names = "--live-export-max-rows", paramLabel = "N", defaultValue = "10000", description = {"The most rows an event export"
            + " from a live connection's view writes; exports from the index and snapshots are unlimited (default: ${DEFAULT-VALUE})."})
    long liveExportMaxRows;

    /** A size as these options take it: a number of bytes, optionally with k, m or g (binary). */
    static long size(String option, String value) {
        java.util.regex.Matcher size = java.util.regex.Pattern.compile("(\\d{1,12})([kmg]?)").matcher(value.strip().toLowerCase(java.util.Locale.ROOT));
        if (!size.matches() || Long.parseLong(size.group(1)) == 0) {
            throw new IllegalArgumentException(option + " is a number of bytes, optionally with k, m or g, e.g. 500m; not '" + value + "'");
        }
        return Long.parseLong(size.group(1)) << switch (size.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
    }

    @Override
    public Integer call() throws Exception {
        long uploadMax = size("--upload-max-size", uploadMaxSize);
        long evidenceMax = size("--evidence-max-size", evidenceMaxSize);
        long reserve = size("--snapshot-reserve", snapshotReserve);
        if (httpPort != null && (httpPort < 0 || httpPort > 65535)) {
            throw new IllegalArgumentException("--http-port must be 0..65535, was " + httpPort);
        }
        if (httpPort != null && httpPort != 0 && httpPort == listen.port) {
            throw new IllegalArgumentException("--http-port " + httpPort + " is the HTTPS port (--port): pick another");
        }
        java.util.regex.Matcher idle = java.util.regex.Pattern.compile("(\\d{1,6})([smh])").matcher(liveIdle.strip());
        if (!idle.matches() || Long.parseLong(idle.group(1)) == 0) {
            throw new IllegalArgumentException("--live-idle is a number and s, m or h, e.g. 90s, 10m, 1h; not '" + liveIdle + "'");
        }
        java.time.Duration idleTime = java.time.Duration.of(Long.parseLong(idle.group(1)), switch (idle.group(2)) {
            case "s" -> java.time.temporal.ChronoUnit.SECONDS;
            case "m" -> java.time.temporal.ChronoUnit.MINUTES;
            default -> java.time.temporal.ChronoUnit.HOURS;
        });
        trailhound.index.IndexBackend events = backend.open(data.dir, spec.commandLine().getErr());
        WriterLock lock;
        try {
            lock = WriteAccess.forServer(data.dir, "serve", spec.commandLine().getErr());
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (events != null) events.close();
            throw e;
        }
        ServerCertificate certificate;
        try {
            certificate = ServerCertificate.forDataFolder(data.dir);
        } catch (RuntimeException e) {
            lock.close();
            if (events != null) events.close();
            throw e;
        }
        WebOptions options = WebOptions.defaults().withHost(listen.host).withPort(listen.port).withHttps(certificate)
                .withHttpRedirectPort(httpPort == null ? WebOptions.NO_REDIRECT : httpPort).withLiveIdle(idleTime)
                .withUploadMaxBytes(uploadMax).withEvidenceMaxBytes(evidenceMax)
                .withSnapshotReserveBytes(reserve).withLiveExportMaxRows(liveExportMaxRows);
        Serving.serveUntilStopped(DataDir.open(data.dir, events), lock, options, spec.commandLine().getOut(), spec.commandLine().getErr());
        return 0;
    }
}
