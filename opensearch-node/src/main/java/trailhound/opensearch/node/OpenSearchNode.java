package trailhound.opensearch.node;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node OpenSearch server in a child JVM, for the tests and the benchmark.
 *
 * <pre>{@code
 * try (OpenSearchNode node = OpenSearchNode.start(tempDir, "1g")) {
 *   String url = node.url(); // http://127.0.0.1:PORT, no TLS, no credentials
 * }
 * }</pre>
 *
 * <p>OpenSearch carries its own Lucene (10.5.1 in 3.9.0; ours is newer), so it never shares the app's
 * classpath: the child runs {@link NodeMain} on the jars in {@code opensearch-node/target/node-lib},
 * which the build copies there (see {@link #nodeLib()} for how it is found). Its logs go to
 * {@code <dataDir>/node.log}, never to our output; when it fails to start, the exception carries the
 * log's last lines. The child stops when {@link #close()} closes its standard input, and also when this
 * JVM dies (its standard input then ends), so no node outlives a killed test run.
 *
 * <p>Thread-safety: {@link #url()} from any thread; {@link #close()} is idempotent.
 */
public final class OpenSearchNode implements AutoCloseable {
  /** System property naming the folder of the node's jars, to run it from elsewhere than a built clone. */
  public static final String NODE_LIB_PROPERTY = "trailhound.opensearch.node-lib";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final String url;
  private final Path log;

  private OpenSearchNode(Process process, String url, Path log) {
    this.process = process;
    this.url = url;
    this.log = log;
  }

  /**
   * Starts a node with its home and data in {@code dataDir} (created when missing; an existing node's
   * data there is reused) and waits until it answers.
   *
   * @param heap the child JVM's heap, in the JVM's own form ({@code 512m}, {@code 3g})
   * @throws IllegalStateException when the node's jars are not found or the node does not start within
   *     two minutes (with the end of its log)
   */
  public static OpenSearchNode start(Path dataDir, String heap) {
    if (!heap.matches("\\d+[kKmMgG]?")) {
      throw new IllegalArgumentException("heap must look like 512m or 3g, was '" + heap + "'");
    }
    Path home = dataDir.toAbsolutePath();
    Path lib = nodeLib();
    try {
      Files.createDirectories(home);
      Files.deleteIfExists(home.resolve("node.url"));
      Path log = home.resolve("node.log");
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xms" + heap, "-Xmx" + heap,
          "-XX:+UseG1GC", "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + lib.resolveSibling("node.jsa"), "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8",
          "-Dlog4j2.disable.jmx=true", "-Dlog4j.shutdownHookEnabled=false",
          "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
          "-cp", lib + "/*", NodeMain.class.getName(), home.toString()));
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      OpenSearchNode node = new OpenSearchNode(process, awaitUrl(process, home, log), log);
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the OpenSearch node in " + home + ": " + e.getMessage(), e);
    }
  }

  private static String awaitUrl(Process process, Path home, Path log) throws IOException {
    Path urlFile = home.resolve("node.url");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(urlFile)) {
        return Files.readString(urlFile).trim();
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the OpenSearch node stopped while starting (exit " + process.exitValue()
            + "); the end of " + log + ":\n" + tail(log));
      }
      try {
        process.waitFor(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the OpenSearch node started", e);
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("the OpenSearch node did not answer within " + START_TIMEOUT.toSeconds()
        + " s; the end of " + log + ":\n" + tail(log));
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** The node's HTTP address, {@code http://127.0.0.1:PORT}, plain HTTP without credentials. */
  public String url() {
    return url;
  }

  /** The node's log file (standard output and error of the child JVM). */
  public Path log() {
    return log;
  }

  /**
   * The folder of the node's jars: the {@value #NODE_LIB_PROPERTY} system property when set; otherwise
   * {@code opensearch-node/target/node-lib} in the source tree this class was loaded from (its classes
   * folder, its module jar or the app's jar under {@code app/target}), which {@code mvn package}
   * (and so {@code bin/trailhound}'s first build) fills.
   *
   * @throws NodeNotBuiltException when no such folder exists, saying how to build it
   */
  public static Path nodeLib() {
    String configured = System.getProperty(NODE_LIB_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path lib = Path.of(configured);
      if (!Files.isDirectory(lib)) {
        throw new NodeNotBuiltException(NODE_LIB_PROPERTY + " names " + lib + ", which is not a folder");
      }
      return lib;
    }
    List<Path> tried = new ArrayList<>();
    for (Path dir = codeLocation(); dir != null; dir = dir.getParent()) {
      Path lib = dir.resolve("opensearch-node").resolve("target").resolve("node-lib");
      tried.add(lib);
      if (Files.isDirectory(lib)) {
        return lib;
      }
    }
    String root = System.getProperty("trailhound.root");
    if (root != null) {
      Path lib = Path.of(root, "opensearch-node", "target", "node-lib");
      tried.add(lib);
      if (Files.isDirectory(lib)) {
        return lib;
      }
    }
    throw new NodeNotBuiltException("the OpenSearch node's jars are not built (looked in " + tried
        + "); build them with 'mvn -q -B -DskipTests package -pl opensearch-node' in the Trailhound folder,"
        + " or name their folder with -D" + NODE_LIB_PROPERTY + "=DIR");
  }

  private static Path codeLocation() {
    try {
      var source = OpenSearchNode.class.getProtectionDomain().getCodeSource();
      return source == null ? null : Path.of(source.getLocation().toURI()).toAbsolutePath();
    } catch (URISyntaxException | SecurityException e) {
      return null;
    }
  }

  /** Stops the node (closing it cleanly, then forcibly after 30 s) and waits for its JVM to end. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.flush();
    } catch (IOException e) {
      // the child is going away already
    }
    try {
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the child JVM still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }
}
