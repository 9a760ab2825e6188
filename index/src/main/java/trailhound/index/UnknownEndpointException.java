package trailhound.index;

/** The named endpoint has no index in this data folder. */
public final class UnknownEndpointException extends RuntimeException {
    private final String endpoint;

    public UnknownEndpointException(String endpoint) {
        super("unknown endpoint '" + endpoint + "': list them with 'trailhound endpoints'");
        this.endpoint = endpoint;
    }

    /** The name asked for. */
    public String endpoint() {
        return endpoint;
    }
}
