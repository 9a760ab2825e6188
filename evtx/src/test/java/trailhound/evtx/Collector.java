package trailhound.evtx;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Keeps what a read hands over: the records, the damage reports as {@code "offset: reason"}, the summary. */
final class Collector implements EvtxHandler {
    final List<EvtxRecord> records = new ArrayList<>();
    final List<String> damaged = new ArrayList<>();
    EvtxSummary summary;

    static Collector read(byte[] file) throws IOException {
        Collector c = new Collector();
        c.summary = EvtxReader.read(new ByteArrayInputStream(file), c);
        return c;
    }

    static Collector read(Path file) throws IOException {
        Collector c = new Collector();
        c.summary = EvtxReader.read(file, c);
        return c;
    }

    @Override
    public void record(EvtxRecord record) {
        records.add(record);
    }

    @Override
    public void damaged(long offset, String reason) {
        damaged.add(offset + ": " + reason);
    }

    List<String> xml() {
        return records.stream().map(r -> r.event().toXml()).toList();
    }

    List<Long> ids() {
        return records.stream().map(EvtxRecord::recordId).toList();
    }
}
