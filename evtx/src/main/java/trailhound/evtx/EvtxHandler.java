package trailhound.evtx;

/**
 * Receives what {@link EvtxReader} reads from a .evtx stream, in file order, on the reading thread.
 *
 * <p>An exception thrown by either method stops the read and propagates to the caller of
 * {@code EvtxReader.read}.
 */
public interface EvtxHandler {

    /** One readable record. */
    void record(EvtxRecord record);

    /**
     * One unreadable or suspect region of the file, which the reader has skipped or read around.
     *
     * @param offset byte offset in the file of the chunk (a multiple of 64 KiB after the 4 KiB file
     *     header), of the record, or 0 for the file header
     * @param reason what is wrong and what the reader did about it, in English, with the values found
     */
    void damaged(long offset, String reason);
}
