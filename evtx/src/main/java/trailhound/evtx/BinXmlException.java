package trailhound.evtx;

/**
 * A record's bytes do not decode: a bad token, an offset or size outside the chunk, a value that
 * does not fit its type. Caught per record and turned into {@link EvtxHandler#damaged}; never
 * leaves the package.
 */
final class BinXmlException extends RuntimeException {
    BinXmlException(String message) {
        super(message, null, false, false);
    }
}
