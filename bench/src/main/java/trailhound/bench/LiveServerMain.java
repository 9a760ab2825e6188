package trailhound.bench;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import trailhound.ingest.DataDir;
import trailhound.web.WebOptions;
import trailhound.web.WebServer;
import trailhound.web.tls.ServerCertificate;

/**
 * The server of {@code bench --live}, in a child JVM so it can be killed: what {@code serve} runs
 * (the web app over HTTPS with the data folder's certificate) on a given loopback port.
 * Arguments: DATA_DIR PORT. Prints "listening URL" once it accepts connections; runs until killed.
 */
public final class LiveServerMain {
    private LiveServerMain() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        DataDir data = DataDir.open(dir);
        WebServer server = WebServer.start(data, WebOptions.defaults().withHost("127.0.0.1").withPort(port).withTemplateSources(null)
                .withInitialPasswordChange(false).withHttps(ServerCertificate.forDataFolder(dir)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        System.out.println("listening " + server.url());
        System.out.flush();
        stopped.await();
    }
}
