package trailhound.web.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Access;
import trailhound.access.Caller;
import trailhound.access.Exports;
import trailhound.access.Role;
import trailhound.access.Scope;
import trailhound.query.QueryLanguage;
import trailhound.store.JobInfo;
import trailhound.web.WebTestSupport;
import trailhound.web.evidence.SevenZip;

/** Event exports as jobs: over HTTP on the real server, and the runner itself stopped at known rows. */
class ExportJobsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String E = WebTestSupport.ENDPOINT;
    private static final String PW = "a long test password";

    @TempDir Path dir;

    private static JsonNode json(String body) throws IOException {
        return JSON.readTree(body);
    }

    /** Polls the export until it has ended (no time limit asserted: the test's own timeout is the bound). */
    private static JsonNode awaitEnd(WebTestSupport web, long id) throws Exception {
        while (true) {
            JsonNode j = json(web.get("/api/v1/exports/" + id).body());
            if (!j.path("state").asText().equals("queued") && !j.path("state").asText().equals("running")) return j;
            Thread.sleep(50);
        }
    }

    private List<CSVRecord> rows(WebTestSupport web, JsonNode done, String name) throws Exception {
        var download = web.getBytes(done.path("download").asText());
        assertEquals(200, download.statusCode());
        Path zip = Files.write(dir.resolve(name + ".zip"), download.body());
        String entry = "trailhound_export_" + done.path("id").asLong() + ".csv";
        assertEquals(List.of(entry), SevenZip.namesWithoutPassword(zip), "the CSV's name is readable without the password");
        assertTrue(SevenZip.refuses(zip, "wrong", dir.resolve(name + "-wrong")));
        SevenZip.extract(zip, "infected", dir.resolve(name));
        String csv = Files.readString(dir.resolve(name).resolve(entry), StandardCharsets.UTF_8);
        assertTrue(csv.startsWith("\uFEFF"));
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new java.io.StringReader(csv.substring(1)))
                .getRecords();
    }

    @Test
    void wholeResult_runsAsAJob_withProgress_andDownloadsAsAnEncryptedZipOfOneCsv() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir).signIn()) {
            var started = web.postJson("/api/v1/exports", "{\"endpoint\":\"" + E + "\",\"q\":\"type:file\"}");
            assertEquals(202, started.statusCode(), started.body());
            long id = json(started.body()).path("id").asLong();
            assertEquals(90, json(started.body()).path("rows_total").asLong(), "the total is known when it starts");
            JsonNode done = awaitEnd(web, id);
            assertEquals("done", done.path("state").asText(), done.toString());
            assertEquals(90, done.path("rows_written").asLong());
            assertEquals(100, done.path("percent").asInt());
            assertEquals("/api/v1/exports/" + id + "/download", done.path("download").asText());
            List<CSVRecord> rows = rows(web, done, "file");
            assertEquals(90, rows.size());
            for (CSVRecord r : rows) assertEquals("file", r.get("type"));
            Path folder = web.data().root().resolve("exports");
            try (Stream<Path> files = Files.list(folder)) {
                assertEquals(List.of(id + ".zip"), files.map(p -> p.getFileName().toString()).toList());
            }
            assertTrue(web.get("/exports").body().contains("/exports/" + id + "/download"), "the page links the ZIP");
        }
    }

    @Test
    void chosenRows_exportExactlyThose_andEveryEndpointAtOnce() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir).signIn()) {
            JsonNode events = json(web.get("/api/v1/endpoints/" + E + "/search?limit=2&q=type:dns").body()).path("events");
            List<String> uids = List.of(events.get(0).path("event_uid").asText(), events.get(1).path("event_uid").asText());
            var started = web.postJson("/api/v1/exports", "{\"endpoint\":\"" + E + "\",\"event_uids\":" + JSON.writeValueAsString(uids) + "}");
            JsonNode done = awaitEnd(web, json(started.body()).path("id").asLong());
            assertEquals(uids, rows(web, done, "chosen").stream().map(r -> r.get("event_uid")).toList());

            JsonNode all = awaitEnd(web, json(web.postJson("/api/v1/exports", "{\"all\":true,\"q\":\"\"}").body()).path("id").asLong());
            assertEquals(WebTestSupport.TOTAL, all.path("rows_written").asLong());
            assertEquals(400, web.postJson("/api/v1/exports", "{\"q\":\"\"}").statusCode(), "an endpoint or all");
        }
    }

    @Test
    void thePagesDirectExport_fromALiveView_stopsAtTheSameRows_sayingSoInTheZip() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir, o -> o.withLiveExportMaxRows(7)).signIn()) {
            var agents = web.server().access().agents();
            agents.enrol(agents.create(Caller.commandLine(), null, java.time.Duration.ofHours(1), 1).secret(), E, "ws", "Windows 10",
                    "a00000000000000f1", "F".repeat(43), "127.0.0.1");
            String grid = web.get("/endpoints/" + E + "/events").body();
            String href = WebTestSupport.find(grid, "href=\"([^\"]*)\" id=\"export-zip\"").replace("&amp;", "&");
            assertTrue(href.contains("live=1"), "the live view's export says it is one: " + href);
            var download = web.getBytes(href);
            assertEquals(200, download.statusCode());
            Path zip = Files.write(dir.resolve("page.zip"), download.body());
            SevenZip.extract(zip, "infected", dir.resolve("page"));
            List<Path> files;
            try (Stream<Path> s = Files.list(dir.resolve("page"))) {
                files = s.toList();
            }
            Path csv = files.stream().filter(f -> f.toString().endsWith(".csv")).findFirst().orElseThrow();
            assertEquals(7, CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new java.io.StringReader(Files.readString(csv).substring(1))).getRecords().size(), "the API's limit");
            String note = Files.readString(dir.resolve("page").resolve("NOTE.txt"));
            assertTrue(note.startsWith("Stopped at the 7-row limit of exports from a live endpoint's view; " + WebTestSupport.TOTAL
                    + " events matched."), note);

            // the Excel export of the same view too
            String excel = WebTestSupport.find(grid, "href=\"([^\"]*)\" id=\"export-xlsx\"").replace("&amp;", "&");
            assertTrue(excel.contains("live=1"), excel);
        }
    }

    @Test
    void fromALiveView_stopsAtTheConfiguredRows_fromTheIndexItDoesNot() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir, o -> o.withLiveExportMaxRows(7)).signIn()) {
            JsonNode live = awaitEnd(web, json(web.postJson("/api/v1/exports", "{\"endpoint\":\"" + E + "\",\"live\":true}").body())
                    .path("id").asLong());
            assertEquals(7, live.path("rows_written").asLong());
            assertEquals(7, rows(web, live, "live").size());
            assertTrue(live.path("message").asText().startsWith("stopped at the 7-row limit of exports from a live endpoint's view; "
                    + WebTestSupport.TOTAL + " events matched"), "says what it left out: " + live);
            // fourth try-out: it sent users to "the grid without the live view", which does not exist
            assertTrue(live.path("message").asText().contains("snapshots") && live.path("message").asText().contains("--live-export-max-rows")
                    && !live.path("message").asText().contains("without the live view"), "says what the user can do: " + live);
            JsonNode index = awaitEnd(web, json(web.postJson("/api/v1/exports", "{\"endpoint\":\"" + E + "\"}").body()).path("id").asLong());
            assertEquals(WebTestSupport.TOTAL, index.path("rows_written").asLong());
        }
    }

    @Test
    void anExportIsItsStartersAndTheAdministrators_readOnlyUsersStartNone() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir).signIn()) {
            Access access = web.server().access();
            access.groups().create(Caller.commandLine(), "test", null, List.of(E));
            access.accounts().create(Caller.commandLine(), "ana", Role.ANALYST, List.of("test"), PW, false);
            access.accounts().create(Caller.commandLine(), "bo", Role.ANALYST, List.of("test"), PW, false);
            access.accounts().create(Caller.commandLine(), "rita", Role.READ_ONLY, List.of("test"), PW, false);
            WebTestSupport ana = web.anotherBrowser().signIn("ana", PW);
            long id = json(ana.postJson("/api/v1/exports", "{\"endpoint\":\"" + E + "\"}").body()).path("id").asLong();
            awaitEnd(ana, id);
            assertEquals(404, web.anotherBrowser().signIn("bo", PW).get("/api/v1/exports/" + id).statusCode());
            assertEquals(200, web.get("/api/v1/exports/" + id).statusCode());
            assertEquals(403, web.anotherBrowser().signIn("rita", PW).postJson("/api/v1/exports", "{\"endpoint\":\"" + E + "\"}")
                    .statusCode());
            String audit = web.get("/admin/audit?action=export").body();
            assertTrue(audit.contains("export " + id), "audited");
        }
    }

    private static Scope admin(WebTestSupport web) {
        return web.server().access().scope(Caller.commandLine());
    }

    @Test
    void cancel_midway_leavesNoFile() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            CountDownLatch at50 = new CountDownLatch(1);
            CountDownLatch cancelled = new CountDownLatch(1);
            ExportJobs.RowHook hook = (id, rows) -> {
                if (rows != 50) return;
                at50.countDown();
                try {
                    cancelled.await(); // the row after this one sees the cancel
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            try (ExportJobs jobs = new ExportJobs(web.data(), QueryLanguage.withClock(java.time.Clock.systemUTC()), 10_000, 1, hook)) {
                Scope scope = admin(web);
                long id = jobs.submit(scope, new ExportJobs.Request(E, false, "", null, null, null, null, false));
                assertTrue(at50.await(60, TimeUnit.SECONDS), "reached row 50");
                assertTrue(Files.exists(Exports.partFile(web.data().root(), id)), "written under its temporary name meanwhile");
                assertTrue(jobs.cancel(scope, id));
                cancelled.countDown();
                JobInfo end = jobs.await(scope, id);
                assertEquals(JobInfo.CANCELLED, end.state());
                // fifth try-out: its figures were those of its last progress, not the rows the message spoke of
                assertEquals("cancelled after 50 of 150 rows: no file kept", end.message());
                assertEquals(50, end.eventsDone(), "its figures are the message's");
                assertFalse(Files.exists(Exports.partFile(web.data().root(), id)), "no partial file");
                assertFalse(Files.exists(Exports.file(web.data().root(), id)));
            }
        }
    }

    @Test
    void aFailure_midway_leavesNoFile_andSaysWhy() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            ExportJobs.RowHook hook = (id, rows) -> {
                if (rows == 10) throw new IOException("disk full");
            };
            try (ExportJobs jobs = new ExportJobs(web.data(), QueryLanguage.withClock(java.time.Clock.systemUTC()), 10_000, 1, hook)) {
                Scope scope = admin(web);
                long id = jobs.submit(scope, new ExportJobs.Request(E, false, "", null, null, null, null, false));
                JobInfo end = jobs.await(scope, id);
                assertEquals(JobInfo.FAILED, end.state());
                assertEquals("disk full", end.message());
                assertFalse(Files.exists(Exports.partFile(web.data().root(), id)));
                assertFalse(Files.exists(Exports.file(web.data().root(), id)));
            }
        }
    }

    @Test
    void atStart_partsAndUnfinishedExportsOfAStoppedServerAreCleanedUp() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            var store = web.data().store().jobs();
            long id = store.create(Exports.KIND, "ana", List.of(E), 150, "{}");
            store.start(id);
            Path part = Exports.partFile(web.data().root(), id);
            Files.createDirectories(part.getParent());
            Files.writeString(part, "half a ZIP");
            try (ExportJobs jobs = new ExportJobs(web.data(), QueryLanguage.withClock(java.time.Clock.systemUTC()), 10_000, 1)) {
                assertFalse(Files.exists(part));
                JobInfo j = store.get(id).orElseThrow();
                assertEquals(JobInfo.FAILED, j.state());
                assertTrue(j.message().contains("server stopped"), j.message());
            }
        }
    }

    @Test
    void afterARestart_aQueuedExportIsMarkedNotStarted_andAnyFinishedOneRunsAgainAsANewExport() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir).signIn()) {
            var store = web.data().store().jobs();
            String spec = JSON.writeValueAsString(new ExportJobs.Request(E, false, "type:dns", null, null, null, null, false));
            long queued = store.create(Exports.KIND, "admin", List.of(E), 12, spec);
            long running = store.create(Exports.KIND, "admin", List.of(E), 12, spec);
            store.start(running);
            try (ExportJobs jobs = new ExportJobs(web.data(), QueryLanguage.withClock(java.time.Clock.systemUTC()), 10_000, 1)) {
                JobInfo never = store.get(queued).orElseThrow();
                assertEquals(JobInfo.FAILED, never.state());
                assertTrue(never.message().startsWith("not started: the server stopped") && never.message().contains("Run again"),
                        never.message());
                JobInfo cut = store.get(running).orElseThrow();
                assertTrue(cut.message().startsWith("the server stopped during the export") && cut.message().contains("Run again"),
                        cut.message());
            }
            String page = web.get("/exports").body();
            assertTrue(page.contains("action=\"/exports/" + queued + "/again\""), "Run again offered for the one that never started");

            var again = web.postJson("/api/v1/exports/" + queued + "/again", "");
            assertEquals(202, again.statusCode(), again.body());
            long id = json(again.body()).path("id").asLong();
            assertTrue(id != queued, "a new export");
            JsonNode done = awaitEnd(web, id);
            assertEquals("done", done.path("state").asText(), done.toString());
            assertEquals(12, done.path("rows_written").asLong(), "the same request: type:dns");
            assertEquals(12, rows(web, done, "again").size());

            var form = web.postForm("/exports/" + id + "/again", java.util.Map.of("_csrf", web.csrf()));
            assertEquals(303, form.statusCode(), form.body());
            long third = Long.parseLong(form.headers().firstValue("Location").orElseThrow().replaceFirst(".*new=", ""));
            assertEquals("done", awaitEnd(web, third).path("state").asText());

            var cancel = web.postJson("/api/v1/exports/" + id + "/cancel", "");
            assertEquals(409, cancel.statusCode(), cancel.body());
            assertTrue(json(cancel.body()).path("error").asText().contains("already finished (done)"), cancel.body());
            assertEquals("done", json(web.get("/api/v1/exports/" + id).body()).path("state").asText(), "still there to download");
        }
    }

    @Test
    void unknownEventUids_areRefused_notExportedAsAnEmptyDoneExport() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir).signIn()) {
            var refused = web.postJson("/api/v1/exports", "{\"endpoint\":\"" + E + "\",\"event_uids\":[\"nope-1\",\"nope-2\"]}");
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(json(refused.body()).path("error").asText().startsWith("none of the 2 event uids exists among the events of " + E),
                    refused.body());
            assertEquals(0, json(web.get("/api/v1/exports").body()).path("exports").size(), "no export made");
        }
    }
}
