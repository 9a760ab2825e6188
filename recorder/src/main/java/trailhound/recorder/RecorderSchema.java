package trailhound.recorder;

import java.util.List;
import trailhound.schema.Field;

/*
 * The recorder database layout, version 1, in one place: the DDL the writer runs, the columns the
 * reader validates, and the mapping of every events column to its canonical Field. The layout is
 * documented for humans in docs/recorder-format.md; keep the two in step.
 *
 * Strings are stored as plain TEXT (no interning) so that the benchmark and analysts can query the
 * file with ordinary SQL: `command_line LIKE '%x%'` is a join of events to processes, nothing more.
 */
final class RecorderSchema {
    /** The newest schema version this code reads and the one it writes. */
    static final int VERSION = 1;

    /** One events detail column: its SQL name, the canonical field it feeds, whether it is INTEGER. */
    record Column(String name, Field field, boolean integer) {}

    /** Detail columns of events, in table order after id, ts, type, operation, process_key. */
    static final List<Column> DETAIL_COLUMNS = List.of(
            new Column("file_path", Field.FILE_PATH, false),
            new Column("file_new_path", Field.FILE_NEW_PATH, false),
            new Column("local_ip", Field.LOCAL_IP, false),
            new Column("local_port", Field.LOCAL_PORT, true),
            new Column("remote_ip", Field.REMOTE_IP, false),
            new Column("remote_port", Field.REMOTE_PORT, true),
            new Column("protocol", Field.PROTOCOL, false),
            new Column("direction", Field.DIRECTION, false),
            new Column("dns_query", Field.DNS_QUERY, false),
            new Column("dns_answer", Field.DNS_ANSWER, false),
            new Column("registry_key", Field.REGISTRY_KEY, false),
            new Column("registry_value_name", Field.REGISTRY_VALUE_NAME, false),
            new Column("registry_value_data", Field.REGISTRY_VALUE_DATA, false),
            new Column("image_path", Field.IMAGE_PATH, false),
            new Column("logon_type", Field.LOGON_TYPE, false),
            new Column("target_user", Field.TARGET_USER, false),
            new Column("logon_source_ip", Field.LOGON_SOURCE_IP, false),
            new Column("target_process_key", Field.TARGET_PROCESS_KEY, false),
            new Column("target_process_path", Field.TARGET_PROCESS_PATH, false),
            new Column("granted_access", Field.GRANTED_ACCESS, false));

    static final List<String> EVENT_HEAD_COLUMNS = List.of("id", "ts", "type", "operation", "process_key");

    static final List<String> PROCESS_COLUMNS = List.of(
            "process_key", "pid", "ppid", "parent_key", "path", "name", "command_line", "user", "cwd",
            "hash_md5", "hash_sha1", "hash_sha256", "signature", "signature_status", "start_ts", "end_ts");

    static final List<String> META_COLUMNS = List.of("key", "value");

    static final String CREATE_META = "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)";

    static final String CREATE_PROCESSES = """
            CREATE TABLE processes (
              process_key TEXT PRIMARY KEY,
              pid INTEGER NOT NULL,
              ppid INTEGER,
              parent_key TEXT,
              path TEXT,
              name TEXT,
              command_line TEXT,
              user TEXT,
              cwd TEXT,
              hash_md5 TEXT,
              hash_sha1 TEXT,
              hash_sha256 TEXT,
              signature TEXT,
              signature_status TEXT,
              start_ts INTEGER,
              end_ts INTEGER
            )""";

    static final String CREATE_STORIES = """
            CREATE TABLE stories (
              story_id TEXT PRIMARY KEY,
              title TEXT NOT NULL,
              description TEXT NOT NULL,
              process_keys TEXT NOT NULL
            )""";

    /** Created by the writer's close, after the bulk load (building them once is far cheaper). */
    static final List<String> CREATE_INDEXES = List.of(
            "CREATE INDEX events_ts ON events(ts)",
            "CREATE INDEX events_type_operation ON events(type, operation)",
            "CREATE INDEX events_process_ts ON events(process_key, ts)",
            "CREATE INDEX processes_parent ON processes(parent_key)");

    private RecorderSchema() {}

    static String createEvents() {
        StringBuilder sql = new StringBuilder("""
                CREATE TABLE events (
                  id INTEGER PRIMARY KEY,
                  ts INTEGER,
                  type TEXT,
                  operation TEXT,
                  process_key TEXT REFERENCES processes(process_key)""");
        for (Column c : DETAIL_COLUMNS) {
            sql.append(",\n  ").append(c.name()).append(c.integer() ? " INTEGER" : " TEXT");
        }
        return sql.append("\n)").toString();
    }

    static List<String> eventColumns() {
        List<String> all = new java.util.ArrayList<>(EVENT_HEAD_COLUMNS);
        DETAIL_COLUMNS.forEach(c -> all.add(c.name()));
        return all;
    }

    static String insert(String table, List<String> columns) {
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
    }
}
