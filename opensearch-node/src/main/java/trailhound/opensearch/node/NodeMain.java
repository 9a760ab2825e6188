package trailhound.opensearch.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.opensearch.Version;
import org.opensearch.bootstrap.BootstrapCheck;
import org.opensearch.bootstrap.BootstrapContext;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.common.transport.BoundTransportAddress;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.PluginInfo;
import org.opensearch.transport.Netty4ModulePlugin;

/**
 * The child JVM's entry: one OpenSearch node, HTTP on 127.0.0.1, single-node discovery, home and data
 * in the folder given as the only argument. Runs on the node's own classpath (target/node-lib), never on
 * the app's: OpenSearch carries its own Lucene.
 *
 * <p>Protocol with {@link OpenSearchNode}: once the node answers, its URL is written to
 * {@code <home>/node.url} (atomically); the node stops when standard input ends, so it never outlives
 * the JVM that started it, even when that one is killed. Logs go to standard output and error, which
 * the launcher sends to {@code <home>/node.log}.
 */
public final class NodeMain {
  private NodeMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: NodeMain HOME_DIR");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    Settings settings = Settings.builder()
        .put("path.home", home.toString())
        .put("path.data", home.resolve("data").toString())
        .put("path.logs", home.resolve("logs").toString())
        .put("cluster.name", "trailhound")
        .put("node.name", "trailhound")
        .put("discovery.type", "single-node")
        .put("network.host", "127.0.0.1")
        // Free ports chosen by the kernel: no race between picking a port and binding it.
        .put("http.port", "0")
        .put("transport.port", "0")
        // A test or bench machine's disk may be fuller than the production watermarks allow;
        // the node must not turn indexes read-only because of it.
        .put("cluster.routing.allocation.disk.threshold_enabled", false)
        .put("logger.level", "WARN")
        .build();
    LogConfigurator.configureWithoutConfig(settings);
    Node node = new EmbeddedNode(settings);
    node.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(node)));

    var http = node.injector().getInstance(HttpServerTransport.class).boundAddress().publishAddress();
    String url = "http://127.0.0.1:" + http.getPort();
    Path tmp = home.resolve("node.url.tmp");
    Files.writeString(tmp, url);
    Files.move(tmp, home.resolve("node.url"), StandardCopyOption.ATOMIC_MOVE);

    // Stop when the parent closes our standard input or dies.
    while (System.in.read() >= 0) {
      // nothing is expected on standard input
    }
    closeQuietly(node);
    System.exit(0);
  }

  private static void closeQuietly(Node node) {
    try {
      node.close();
    } catch (IOException | RuntimeException e) {
      e.printStackTrace();
    }
  }

  /** A node with the Netty4 HTTP/transport module given on the classpath, as the distribution's modules/ would. */
  private static final class EmbeddedNode extends Node {
    EmbeddedNode(Settings settings) {
      super(InternalSettingsPreparer.prepareEnvironment(settings, java.util.Map.of(), null, () -> "trailhound"),
          List.of(new PluginInfo(Netty4ModulePlugin.class.getName(), "classpath plugin", "NA", Version.CURRENT,
              "21", Netty4ModulePlugin.class.getName(), List.of(), false)),
          true);
    }

    @Override
    protected void validateNodeBeforeAcceptingRequests(BootstrapContext context, BoundTransportAddress address,
        List<BootstrapCheck> checks) {
      // Bound to loopback only: the production bootstrap checks (heap, file descriptors, mmap count) do not apply.
    }
  }
}
