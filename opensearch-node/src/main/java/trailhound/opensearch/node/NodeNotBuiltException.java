package trailhound.opensearch.node;

/**
 * The OpenSearch node's own jars ({@code opensearch-node/target/node-lib}) are not there: the message
 * says where they were looked for and how to build them. A user's to fix, not a defect.
 */
public final class NodeNotBuiltException extends IllegalStateException {
  public NodeNotBuiltException(String message) {
    super(message);
  }
}
