package trailhound.web.process;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import trailhound.index.EventIndex;
import trailhound.index.IndexBackend;
import trailhound.ingest.DataDir;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * A generated process family on endpoint {@code ws-tree}: a chain {@code c0} (the root) to
 * {@code c7}, each doing {@code i % 4} file, {@code i % 3} network and {@code i % 2} registry
 * events; {@code c7} starts {@value #PEERS} processes {@code k00}..; {@code k00} starts {@code g0},
 * which starts {@code gg0}, which starts {@code ggg0}.
 */
final class TreeFixture {
    static final String ENDPOINT = "ws-tree";
    static final int CHAIN = 8;
    static final int PEERS = 45;
    static final long T0 = 1_763_625_600_000L;

    private TreeFixture() {}

    static List<String> peers() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < PEERS; i++) keys.add(String.format("k%02d", i));
        return keys;
    }

    static void write(DataDir data) throws IOException {
        try (IndexBackend.Lease lease = data.indexes().acquireOrCreate(ENDPOINT)) {
            EventIndex index = lease.index();
            int[] uid = {0};
            for (int i = 0; i < CHAIN; i++) {
                String key = "c" + i;
                index.add(start(uid, key, i == 0 ? null : "c" + (i - 1)));
                for (int n = 0; n < i % 4; n++) index.add(act(uid, key, "file", "create"));
                for (int n = 0; n < i % 3; n++) index.add(act(uid, key, "network", "connect"));
                for (int n = 0; n < i % 2; n++) index.add(act(uid, key, "registry", "set_value"));
            }
            for (String k : peers()) {
                index.add(start(uid, k, "c7"));
                index.add(act(uid, k, "file", "write"));
            }
            index.add(start(uid, "g0", "k00"));
            index.add(start(uid, "gg0", "g0"));
            index.add(act(uid, "gg0", "network", "connect"));
            index.add(start(uid, "ggg0", "gg0"));
            index.commit();
        }
    }

    private static Event start(int[] uid, String key, String parent) {
        Event.Builder b = Event.builder().set(Field.EVENT_UID, "t" + uid[0]++).ts(T0 + uid[0]).set(Field.TYPE, "process")
                .set(Field.OPERATION, "start").set(Field.ENDPOINT, ENDPOINT).set(Field.PROCESS_KEY, key)
                .set(Field.PROCESS_PATH, "C:\\bin\\" + key + ".exe").set(Field.PID, 1000 + uid[0]);
        if (parent != null) b.set(Field.PARENT_KEY, parent);
        return b.build();
    }

    private static Event act(int[] uid, String key, String type, String operation) {
        return Event.builder().set(Field.EVENT_UID, "t" + uid[0]++).ts(T0 + uid[0]).set(Field.TYPE, type)
                .set(Field.OPERATION, operation).set(Field.ENDPOINT, ENDPOINT).set(Field.PROCESS_KEY, key).build();
    }
}
