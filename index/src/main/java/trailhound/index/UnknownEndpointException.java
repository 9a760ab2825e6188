package trailhound.index;

/** The named endpoint has no index in this data folder. */
public final class UnknownEndpointException extends RuntimeException {
    public UnknownEndpointException(String endpoint) {
        super("unknown endpoint '" + endpoint + "': list them with 'trailhound endpoints'");
    }
}
