package trailhound.evtx;

/**
 * What one {@code EvtxReader.read} call found.
 *
 * <p>Every damaged region was also reported to {@link EvtxHandler#damaged}: {@code damagedChunks}
 * counts the reports about a whole chunk, {@code damagedRecords} those about a record or a run of
 * bytes inside a chunk. A report about the file header (offset 0) is counted in neither.
 *
 * @param chunks chunks whose records were read, including chunks read despite a checksum mismatch
 *     or a truncation (all-zero, never used chunks are not counted)
 * @param records records passed to {@link EvtxHandler#record}
 * @param damagedChunks chunks reported damaged: skipped (no chunk signature, header cut off) or read
 *     anyway (checksum mismatch, cut off by the end of the file)
 * @param damagedRecords records or byte runs inside chunks reported damaged and skipped
 */
public record EvtxSummary(long chunks, long records, long damagedChunks, long damagedRecords) {
}
