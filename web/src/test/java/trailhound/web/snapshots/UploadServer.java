package trailhound.web.snapshots;

import java.nio.file.Path;
import java.util.List;
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.ingest.DataDir;
import trailhound.web.WebOptions;
import trailhound.web.WebServer;

/**
 * A server for {@link SnapshotUploadTest}'s child JVM (run with a small heap): serves {@code args[0]} on a
 * free loopback port with uploads up to 2 GiB, prints {@code port=N token=T} (an administrator's API
 * token) and runs until killed.
 */
public final class UploadServer {
    private UploadServer() {}

    public static void main(String[] args) throws Exception {
        DataDir data = DataDir.open(Path.of(args[0]));
        WebServer server = WebServer.start(data, WebOptions.defaults().withPort(0).withTemplateSources(null).withVirusTotal(null)
                .withInitialPasswordChange(false).withUploadMaxBytes(2L << 30));
        Caller cli = Caller.commandLine();
        server.access().accounts().create(cli, "uploader", Role.ADMINISTRATOR, List.of(), "correct horse battery staple 42", false);
        String token = server.access().tokens().create(cli, "uploader", "upload test", 1).secret();
        System.out.println("port=" + server.port() + " token=" + token);
        System.out.flush();
        Thread.currentThread().join();
    }
}
