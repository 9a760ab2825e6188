package trailhound.opensearch.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One node of its own, started and stopped here: the other modules' tests share {@link OpenSearchNodeExtension}'s. */
class OpenSearchNodeTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(String method, String url, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void start_answersAsOpenSearch390OnLoopback_indexesSearches_closeStopsIt(@TempDir Path dir) throws Exception {
    OpenSearchNode node = OpenSearchNode.start(dir.resolve("own"), "256m");
    String url = node.url();
    try {
      assertTrue(url.startsWith("http://127.0.0.1:"), url);
      HttpResponse<String> root = send("GET", url, null);
      assertEquals(200, root.statusCode());
      assertTrue(root.body().contains("\"number\" : \"3.9.0\""), root.body());
      assertTrue(root.body().contains("\"lucene_version\" : \"10.5.1\""), "the node runs its own Lucene: " + root.body());

      String index = url + "/node-test-docs";
      assertEquals(200, send("PUT", index, "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0}}").statusCode());
      assertEquals(201, send("PUT", index + "/_doc/1?refresh=true", "{\"process_name\":\"cmd.exe\"}").statusCode());
      HttpResponse<String> count = send("GET", index + "/_count?q=process_name:cmd.exe", null);
      assertTrue(count.body().contains("\"count\":1"), count.body());
    } finally {
      node.close();
    }
    assertFalse(node.isAlive());
    assertThrows(ConnectException.class, () -> send("GET", url, null));
    assertTrue(Files.size(node.log()) > 0, "the node's output went to its log, not ours");
    node.close(); // twice is fine
  }

  @Test
  void start_badHeap_refusedWithTheValue(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpenSearchNode.start(dir, "lots"));
    assertTrue(e.getMessage().contains("'lots'"), e.getMessage());
  }

  @Test
  void nodeLib_badProperty_saysWhich() throws IOException {
    String before = System.getProperty(OpenSearchNode.NODE_LIB_PROPERTY);
    System.setProperty(OpenSearchNode.NODE_LIB_PROPERTY, "/nonexistent/node-lib");
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class, OpenSearchNode::nodeLib);
      assertTrue(e.getMessage().contains("/nonexistent/node-lib"), e.getMessage());
    } finally {
      if (before == null) {
        System.clearProperty(OpenSearchNode.NODE_LIB_PROPERTY);
      } else {
        System.setProperty(OpenSearchNode.NODE_LIB_PROPERTY, before);
      }
    }
  }
}
