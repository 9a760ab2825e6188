package trailhound.protocol;

/** A frame that is not a valid {@link Message}: the message says what is wrong with it. */
public final class ProtocolException extends RuntimeException {
    public ProtocolException(String message) {
        super(message);
    }
}
