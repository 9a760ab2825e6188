package trailhound.opensearch.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The one OpenSearch node of a test run: started by the first test that asks for it, shared by every
 * test class of the run (JUnit's root store), stopped and its folder deleted when the run ends. Starting a
 * node costs seconds of both CI cores, so no test starts its own.
 *
 * <pre>{@code
 * @ExtendWith(OpenSearchNodeExtension.class)
 * class SomeOpenSearchTest {
 *   @Test void something(OpenSearchNode node) { ... node.url() ... }
 * }
 * }</pre>
 *
 * Tests share the node, so each works in indexes of its own (a unique prefix) and deletes nothing else.
 */
public final class OpenSearchNodeExtension implements ParameterResolver {
  /** The test node's heap: ample for the suites' few hundred thousand events. */
  static final String HEAP = "768m";

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == OpenSearchNode.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context);
  }

  /** The run's node, started on first use. */
  public static OpenSearchNode shared(ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.create(OpenSearchNodeExtension.class))
        .getOrComputeIfAbsent("node", key -> new SharedNode(), SharedNode.class).node;
  }

  /** Closed by JUnit when the root store closes, at the end of the run. */
  private static final class SharedNode implements AutoCloseable {
    final Path home;
    final OpenSearchNode node;

    SharedNode() {
      try {
        home = Files.createTempDirectory("trailhound-opensearch-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      node = OpenSearchNode.start(home, HEAP);
    }

    @Override
    public void close() throws IOException {
      node.close();
      try (Stream<Path> paths = Files.walk(home)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
