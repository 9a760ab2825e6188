package trailhound.app;

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

    @Option(names = "--http-port", paramLabel = "N", description = {"Also listen on plain HTTP on port N, answering every"
            + " request with a redirect to HTTPS (default: off; 0 picks a free port)."})
    Integer httpPort;

    @Option(names = "--live-idle", paramLabel = "DURATION", defaultValue = "10m", description = {"Close a live connection after this"
            + " long without analyst activity on its endpoint (searches, process pages), e.g. 90s, 10m, 1h (default: ${DEFAULT-VALUE})."})
    String liveIdle;

    @Option(names = "--upload-max-bytes", paramLabel = "BYTES", defaultValue = "8589934592", description = {"The largest snapshot"
            + " or telemetry file Snapshots > Upload (POST /api/v1/snapshots) takes, in bytes (default: ${DEFAULT-VALUE}, 8 GiB)."})
    long uploadMaxBytes;

    @Override
    public Integer call() throws Exception {
        if (uploadMaxBytes < 1) throw new IllegalArgumentException("--upload-max-bytes must be 1 or more, was " + uploadMaxBytes);
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
        WriterLock lock = WriteAccess.forServer(data.dir, "serve", spec.commandLine().getErr());
        ServerCertificate certificate;
        try {
            certificate = ServerCertificate.forDataFolder(data.dir);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        WebOptions options = WebOptions.defaults().withHost(listen.host).withPort(listen.port).withHttps(certificate)
                .withHttpRedirectPort(httpPort == null ? WebOptions.NO_REDIRECT : httpPort).withLiveIdle(idleTime)
                .withUploadMaxBytes(uploadMaxBytes);
        Serving.serveUntilStopped(DataDir.open(data.dir), lock, options, spec.commandLine().getOut(), spec.commandLine().getErr());
        return 0;
    }
}
