package trailhound.index;

/**
 * The named endpoint has no index in this data folder. The message only states that: where to find the known ones
 * (a command, a page, an API route) is for the surface that shows it to add.
 */
public final class UnknownEndpointException extends RuntimeException {
    private final String endpoint;

    public UnknownEndpointException(String endpoint) {
        super("unknown endpoint '" + endpoint + "'");
        this.endpoint = endpoint;
    }

    /** The name asked for. */
    public String endpoint() {
        return endpoint;
    }
}
