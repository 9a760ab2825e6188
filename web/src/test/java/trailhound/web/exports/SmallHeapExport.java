package trailhound.web.exports;

import java.nio.file.Path;
import java.time.Clock;
import trailhound.access.Access;
import trailhound.access.Caller;
import trailhound.access.Scope;
import trailhound.ingest.DataDir;
import trailhound.query.QueryLanguage;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.store.JobInfo;

/**
 * Run in a JVM with a small heap by {@link ExportMemoryTest}: {@code synthetic FILE N} writes N
 * generated events (made one at a time) through {@link ExportZip}; {@code index DATA ENDPOINT} exports
 * the endpoint's every event with {@link ExportJobs}. Prints the rows written.
 */
public final class SmallHeapExport {
    private SmallHeapExport() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("synthetic")) {
            long n = Long.parseLong(args[2]);
            try (ExportZip zip = ExportZip.create(Path.of(args[1]), "events.csv")) {
                for (long i = 0; i < n; i++) zip.write(event(i));
            }
            System.out.println("rows=" + n);
            return;
        }
        try (DataDir data = DataDir.open(Path.of(args[1]))) {
            Access access = Access.over(data, Clock.systemUTC());
            Scope scope = access.scope(Caller.commandLine());
            try (ExportJobs jobs = new ExportJobs(data, QueryLanguage.withClock(Clock.systemUTC()), 10_000, 1)) {
                long id = jobs.submit(scope, new ExportJobs.Request(args[2], false, "", null, null, null, null, false));
                JobInfo end = jobs.await(scope, id);
                System.out.println("state=" + end.state() + " rows=" + end.eventsDone() + " id=" + id + " message=" + end.message());
            }
        }
    }

    /** A process start with every common field, each value distinct, about 600 bytes of CSV. */
    static Event event(long i) {
        return Event.builder().set(Field.ENDPOINT, "WS-MEM-01").set(Field.EVENT_UID, "uid-" + i).ts(1_700_000_000_000L + i)
                .set(Field.TYPE, "process").set(Field.OPERATION, "start").set(Field.PROCESS_KEY, "pk-" + i).set(Field.PID, 1000 + i % 60_000)
                .set(Field.PROCESS_PATH, "C:\\Program Files\\Vendor " + i + "\\bin\\tool" + i + ".exe").set(Field.PROCESS_NAME, "tool" + i + ".exe")
                .set(Field.COMMAND_LINE, "\"C:\\Program Files\\Vendor " + i + "\\bin\\tool" + i + ".exe\" --run " + i + " --config C:\\ProgramData\\v"
                        + i + "\\settings.json --verbose --retries 3 --log C:\\Windows\\Temp\\tool-" + i + ".log")
                .set(Field.USER, "CORP\\user" + (i % 977)).set(Field.HASH_SHA256, String.format("%064x", i * 2_654_435_761L))
                .set(Field.PARENT_KEY, "pk-" + (i / 2)).set(Field.PARENT_PATH, "C:\\Windows\\explorer.exe")
                .set(Field.PARENT_COMMAND_LINE, "C:\\Windows\\Explorer.EXE /factory,{75dff2b7-6936-4c06-a8bb-676a7b00b24b} -Embedding " + i)
                .set(Field.SOURCE, "live").build();
    }
}
