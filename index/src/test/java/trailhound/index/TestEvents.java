package trailhound.index;

import org.apache.lucene.index.Term;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.query.IndexFields;

/** Small builders for test events and queries. */
final class TestEvents {
    static final long T0 = 1_600_000_000_000L;

    private TestEvents() {}

    static Event.Builder event(String uid, long ts, String type, String operation, String processKey) {
        return Event.builder()
                .set(Field.ENDPOINT, "ws-01")
                .set(Field.EVENT_UID, uid)
                .ts(ts)
                .set(Field.TYPE, type)
                .set(Field.OPERATION, operation)
                .set(Field.PROCESS_KEY, processKey);
    }

    static Event processStart(String uid, long ts, String key, String parentKey, String path, String commandLine) {
        return event(uid, ts, "process", "start", key)
                .set(Field.PARENT_KEY, parentKey)
                .set(Field.PROCESS_PATH, path)
                .set(Field.PROCESS_NAME, path.substring(path.lastIndexOf('\\') + 1))
                .set(Field.COMMAND_LINE, commandLine)
                .set(Field.USER, "CORP\\Alice")
                .set(Field.PID, 100 + ts % 1000)
                .build();
    }

    static Query term(Field f, String value) {
        return new TermQuery(new Term(IndexFields.term(f), IndexFields.normalize(value)));
    }
}
