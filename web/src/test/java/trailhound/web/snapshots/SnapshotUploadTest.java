package trailhound.web.snapshots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Caller;
import trailhound.access.Role;
import trailhound.recorder.RecorderMeta;
import trailhound.recorder.RecorderProcess;
import trailhound.recorder.RecorderWriter;
import trailhound.schema.Field;
import trailhound.web.WebTestSupport;

/** Uploads over {@code POST /api/v1/snapshots}, the Snapshots list and its API, with the real server. */
class SnapshotUploadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String PW = "correct horse battery staple 42";
    private static final long T0 = 1_764_590_400_000L;

    @TempDir Path dir;

    /** A recorder database of {@code host} with {@code n} file events, a second apart from T0. */
    static Path recorder(Path file, String host, int n) {
        RecorderMeta meta = RecorderMeta.of(host, "linux", "test", "test", "10.9.8.7", "rec-" + host, T0);
        try (RecorderWriter w = RecorderWriter.create(file, meta)) {
            w.addProcess(new RecorderProcess("p-1", 42, 1, null, "/usr/bin/vi", "vi", "vi notes", "root", "/root", null, null, null, null,
                    null, T0, null));
            RecorderWriter.Row row = w.row();
            for (int i = 0; i < n; i++) {
                w.addEvent(row.clear().ts(T0 + i * 1000L).type("file").operation("create").processKey("p-1").set(Field.FILE_PATH, "/tmp/f" + i));
            }
        }
        return file;
    }

    private static HttpResponse<String> upload(WebTestSupport web, String token, String query, HttpRequest.BodyPublisher body)
            throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(web.server().url() + "/api/v1/snapshots" + query))
                .header("Authorization", "Bearer " + token).POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(WebTestSupport web, String token, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(web.server().url() + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<Path> leftIn(Path folder) throws Exception {
        if (!Files.exists(folder)) return List.of();
        try (var files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void upload_recorderDatabase_isKeptAsASnapshotAndIngested_andListedWithItsGrid() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            Caller cli = Caller.commandLine();
            web.server().access().groups().create(cli, "linux", "name:LNX-*", List.of());
            web.server().access().accounts().create(cli, "ana", Role.ANALYST, List.of("linux"), PW, false);
            String token = web.server().access().tokens().create(cli, "admin", "t", 1).secret();
            String ana = web.server().access().tokens().create(cli, "ana", "t", 1).secret();
            Path db = recorder(dir.resolve("copied off by hand.db"), "LNX-07", 300);

            HttpResponse<String> up = upload(web, token, "?name=" + WebTestSupport.enc("copied off by hand.db"),
                    HttpRequest.BodyPublishers.ofFile(db));
            assertEquals(201, up.statusCode(), up.body());
            JsonNode answer = JSON.readTree(up.body());
            assertEquals("[\"LNX-07\"]", answer.path("endpoints").toString());
            assertEquals(300, answer.path("events_added").asLong());
            String snapshot = answer.path("snapshot").asText();
            assertTrue(snapshot.startsWith("LNX-07_"), snapshot);
            String grid = answer.path("url").asText();
            assertEquals("/endpoints/LNX-07/events?snapshot=" + snapshot, grid);
            HttpResponse<String> page = get(web, token, grid);
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("/tmp/f299"), "the grid shows the snapshot's events");

            JsonNode listed = JSON.readTree(get(web, ana, "/api/v1/snapshots").body()).path("endpoints");
            assertEquals(1, listed.size(), "ana sees her group's endpoint only: " + listed);
            assertEquals("LNX-07", listed.get(0).path("endpoint").asText());
            assertEquals(1, listed.get(0).path("count").asInt());
            assertEquals(grid, listed.get(0).path("snapshots").get(0).path("url").asText());
            assertEquals(300, listed.get(0).path("snapshots").get(0).path("event_count").asLong());
            String html = get(web, ana, "/snapshots").body();
            assertTrue(html.contains("href=\"" + grid.replace("&", "&amp;") + "\""), html);

            HttpResponse<String> again = upload(web, ana, "?name=again.db", HttpRequest.BodyPublishers.ofFile(db));
            assertEquals(201, again.statusCode(), again.body());
            assertTrue(JSON.readTree(again.body()).path("known").asBoolean(), "the same bytes again add nothing");
            assertEquals(grid, JSON.readTree(again.body()).path("url").asText());

            Path other = recorder(dir.resolve("ws.db"), "WS-99", 5);
            HttpResponse<String> refused = upload(web, ana, "?name=ws.db", HttpRequest.BodyPublishers.ofFile(other));
            assertEquals(422, refused.statusCode());
            assertTrue(refused.body().contains("'WS-99' is not an endpoint of your computer groups"), refused.body());
            assertTrue(web.data().catalogue().endpoint("WS-99").isEmpty(), "nothing ingested");
            assertEquals(List.of(), leftIn(web.data().root().resolve("incoming")));

            JsonNode audit = JSON.readTree(get(web, token, "/api/v1/audit?action=snapshot.upload").body()).path("entries");
            List<String> outcomes = new ArrayList<>();
            audit.forEach(e -> outcomes.add(e.path("user").asText() + " " + e.path("outcome").asText()));
            assertEquals(List.of("ana denied", "ana ok", "admin ok"), outcomes, audit.toString());

            // fourth try-out: another host's database with endpoint= was answered 201, the endpoint silently ignored
            HttpResponse<String> wrong = upload(web, token, "?name=ws.db&endpoint=LNX-07", HttpRequest.BodyPublishers.ofFile(other));
            assertEquals(422, wrong.statusCode(), wrong.body());
            assertTrue(wrong.body().contains("ws.db: it is the recorder database of WS-99, not of LNX-07 (the endpoint given)"), wrong.body());
            assertTrue(web.data().catalogue().endpoint("WS-99").isEmpty(), "nothing ingested");
        }
    }

    /** Fourth try-out of #16: while a capture ingested, its row showed only "ingesting", events_read null. */
    @Test
    void capture_tellsTheEventsReadWhileItIngests() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            Path db = recorder(dir.resolve("big.db"), "LNX-50", 100_001);
            var scope = web.server().access().scope(Caller.commandLine());
            List<Long> read = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (var capture = scope.snapshots().capture(WebTestSupport.ENDPOINT, Files.size(db), 0)) {
                Path copy = Files.copy(db, capture.folder().resolve("LNX-50_2026_12_01T12.00.00.000Z.db"));
                var kept = capture.keep(copy, stage -> { }, () -> false, read::add);
                assertEquals(100_001, kept.read());
            }
            assertEquals(List.of(50_000L, 100_000L), read);
        }
    }

    @Test
    void upload_telemetryFile_goesIntoTheEndpointGiven_andAnAnalystMustGiveOne() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            Caller cli = Caller.commandLine();
            web.server().access().groups().create(cli, "test", null, List.of(WebTestSupport.ENDPOINT));
            web.server().access().accounts().create(cli, "ana", Role.ANALYST, List.of("test"), PW, false);
            String ana = web.server().access().tokens().create(cli, "ana", "t", 1).secret();
            StringBuilder xml = new StringBuilder("<Events>\n");
            for (int i = 0; i < 3; i++) {
                xml.append("<Event><System><EventID>11</EventID><TimeCreated SystemTime='2026-11-19T07:30:0").append(i)
                        .append(".000Z'/><EventRecordID>").append(i + 1)
                        .append("</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>elsewhere</Computer>")
                        .append("</System><EventData><Data Name='TargetFilename'>C:\\up").append(i).append(".txt</Data></EventData></Event>\n");
            }
            String body = xml.append("</Events>\n").toString();

            HttpResponse<String> noEndpoint = upload(web, ana, "?name=sysmon.xml", HttpRequest.BodyPublishers.ofString(body));
            assertEquals(422, noEndpoint.statusCode());
            // try-out: "a telemetry file names its hosts itself: give the endpoint..." said one thing and asked the other
            assertTrue(noEndpoint.body().contains("a telemetry file may hold events of any host, so say which endpoint it is of"),
                    noEndpoint.body());
            assertFalse(noEndpoint.body().contains("names its hosts itself"), noEndpoint.body());

            HttpResponse<String> up = upload(web, ana, "?name=sysmon.xml&endpoint=" + WebTestSupport.ENDPOINT,
                    HttpRequest.BodyPublishers.ofString(body));
            assertEquals(201, up.statusCode(), up.body());
            JsonNode answer = JSON.readTree(up.body());
            assertEquals(3, answer.path("events_added").asLong());
            assertTrue(answer.path("snapshot").isNull());
            assertEquals("/endpoints/" + WebTestSupport.ENDPOINT + "/events", answer.path("url").asText());
            assertTrue(get(web, ana, "/api/v1/endpoints/" + WebTestSupport.ENDPOINT + "/search?q=" + WebTestSupport.enc("file_path:*up2.txt"))
                    .body().contains("up2.txt"));
        }
    }

    @Test
    void upload_badFiles_areRefusedWithTheReason_andLeaveNothingBehind() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir, o -> o.withUploadMaxBytes(1 << 20))) {
            String token = web.server().access().tokens().create(Caller.commandLine(), "admin", "t", 1).secret();
            long sources = web.data().store().sources().list(null).size();
            Path abandoned = Files.createDirectories(web.data().root().resolve("incoming/upload-left-by-a-killed-server"));
            Files.writeString(abandoned.resolve("half.db"), "half");
            Files.setLastModifiedTime(abandoned, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 2 * 86_400_000L));

            HttpResponse<String> text = upload(web, token, "?name=notes.txt", HttpRequest.BodyPublishers.ofString("just some notes\n"));
            assertEquals(422, text.statusCode());
            assertTrue(text.body().contains("notes.txt: not a file Trailhound reads"), text.body());

            // try-out: a form upload (curl -F) was "not a file Trailhound reads (it starts with "------...")"
            String form = "------boundary42\r\nContent-Disposition: form-data; name=\"file\"; filename=\"agent.db\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\nSQLite format 3\u0000...\r\n------boundary42--\r\n";
            HttpResponse<String> multipart = upload(web, token, "?name=agent.db", HttpRequest.BodyPublishers.ofString(form));
            assertEquals(422, multipart.statusCode());
            assertTrue(multipart.body().contains("agent.db: it was sent as a multipart/form-data form"), multipart.body());
            assertTrue(multipart.body().contains("curl --data-binary @FILE"), multipart.body());

            // third try-out: garbage was quoted raw, its control characters and all
            byte[] garbage = {0x1b, '[', '3', '1', 'm', 0x07, (byte) 0xe2, (byte) 0x80, (byte) 0xae, 'e', 'x', 'e', 0x00, (byte) 0xff, 0x0d, 'z'};
            HttpResponse<String> junk = upload(web, token, "?name=junk.bin", HttpRequest.BodyPublishers.ofByteArray(garbage));
            assertEquals(422, junk.statusCode(), junk.body());
            assertTrue(junk.body().contains("junk.bin: not a file Trailhound reads (it is 16 bytes of binary data, beginning 1B 5B 33 31 6D 07"
                    + " E2 80...)"), junk.body());
            for (String raw : List.of("\u001b", "\u0007", "\u202e", "\u0000", "\r", "", "", "‮", "�")) {
                assertFalse(junk.body().contains(raw), "no raw control or invisible character: " + junk.body());
            }
            HttpResponse<String> bidi = upload(web, token, "?name=bidi.txt", HttpRequest.BodyPublishers.ofString("invoice‮txt.exe plain"));
            assertTrue(bidi.body().contains("(it is 23 bytes of binary data, beginning 69 6E 76 6F 69 63 65 E2...)"), bidi.body());

            Path truncated = dir.resolve("cut.db");
            byte[] whole = Files.readAllBytes(recorder(dir.resolve("whole.db"), "LNX-01", 2_000));
            Files.write(truncated, java.util.Arrays.copyOf(whole, 4096));
            HttpResponse<String> cut = upload(web, token, "?name=cut.db", HttpRequest.BodyPublishers.ofFile(truncated));
            assertEquals(422, cut.statusCode(), cut.body());
            // fourth try-out: the first 10 bytes were "not a file Trailhound reads (it starts with "SQLite for")"
            for (int bytes : List.of(10, 16, 60)) {
                Files.write(truncated, java.util.Arrays.copyOf(whole, bytes));
                HttpResponse<String> header = upload(web, token, "?name=cut.db", HttpRequest.BodyPublishers.ofFile(truncated));
                assertEquals(422, header.statusCode(), header.body());
                assertTrue(header.body().contains("cut.db: the database is corrupt or truncated (" + bytes + " bytes"), header.body());
                assertTrue(header.body().contains("copy the snapshot again"), header.body());
            }

            HttpResponse<String> big = upload(web, token, "?name=big.db", HttpRequest.BodyPublishers.ofByteArray(new byte[(1 << 20) + 1]));
            assertEquals(413, big.statusCode());
            assertTrue(big.body().contains("larger than this server takes (1,048,576 bytes)"), big.body());
            assertTrue(big.body().contains("a larger --upload-max-size (serve and demo both take it)"), big.body());

            HttpResponse<String> empty = upload(web, token, "?name=empty", HttpRequest.BodyPublishers.noBody());
            assertEquals(422, empty.statusCode());
            assertTrue(empty.body().contains("empty"), empty.body());

            assertEquals(sources, web.data().store().sources().list(null).size(), "no source recorded");
            assertEquals(List.of(), leftIn(web.data().root().resolve("incoming")));
            assertTrue(web.data().catalogue().endpoint("LNX-01").isEmpty());
        }
    }

    /** Try-out: an upload could not be cancelled. The page's Cancel aborts the request; the server keeps nothing and audits it. */
    @Test
    void upload_cancelledWhileSending_leavesNothing_andIsAudited_loggedAsOneInfoLine() throws Exception {
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        java.io.PrintStream was = System.err;
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            System.setErr(new java.io.PrintStream(console, true, StandardCharsets.UTF_8)); // slf4j-simple writes to System.err as it is now
            String token = web.server().access().tokens().create(Caller.commandLine(), "admin", "t", 1).secret();
            long sources = web.data().store().sources().list(null).size();
            long size = 64L << 20;
            InputStream abandoned = new InputStream() { // 2 MiB, then the sender gives up, as xhr.abort() does
                long sent;

                @Override
                public int read() throws java.io.IOException {
                    if (sent >= 2L << 20) throw new java.io.IOException("cancelled by the analyst");
                    sent++;
                    return 'x';
                }

                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    if (sent >= 2L << 20) throw new java.io.IOException("cancelled by the analyst");
                    int n = (int) Math.min(len, (2L << 20) - sent);
                    java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                    sent += n;
                    return n;
                }
            };
            HttpRequest request = HttpRequest.newBuilder(URI.create(web.server().url() + "/api/v1/snapshots?name=cancelled.log"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> abandoned), size)).build();
            assertTrue(org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> CLIENT.send(request, HttpResponse.BodyHandlers.ofString())) != null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<String> details = List.of();
            while (System.nanoTime() < deadline && details.isEmpty()) {
                details = web.server().access().audit().list(new trailhound.store.AuditTrail.Filter(null, "snapshot.upload", null, null,
                        null), 0, 100).stream().map(e -> e.event().outcome() + " " + e.event().detail()).toList();
                Thread.sleep(50);
            }
            assertEquals(1, details.size(), details.toString());
            assertTrue(details.getFirst().startsWith("failed cancelled.log: the upload stopped before its end (cancelled, or the connection"
                    + " was cut"), details.toString());
            assertEquals(List.of(), leftIn(web.data().root().resolve("incoming")), "nothing of it is kept");
            assertEquals(sources, web.data().store().sources().list(null).size());
            // third try-out: the cancel was logged at ERROR with a stack trace; it is ordinary: one INFO line
            while (System.nanoTime() < deadline && !console.toString(StandardCharsets.UTF_8).contains("INFO")) Thread.sleep(50);
            String log = console.toString(StandardCharsets.UTF_8);
            assertEquals(1, log.lines().filter(l -> l.contains(" INFO ") && l.contains("cancelled.log: the upload stopped before its end")
                    && l.contains("(by admin)")).count(), log);
            assertFalse(log.contains("ERROR") || log.contains("\tat "), log);
        } finally {
            System.setErr(was);
        }
    }

    /**
     * Fourth try-out of #16: a server stopped while an upload was ingested went on ingesting under the closing data
     * folder (only captures were stopped). The stop now asks the upload's ingest to stop and waits for it: audited,
     * answered 503 when the answer can still go out, nothing of it kept, one line on stderr; the same file uploads
     * whole afterwards.
     */
    @Test
    void upload_serverStoppedDuringItsIngest_stopsItInOrder_auditedNothingKept_andItUploadsWholeAfter() throws Exception {
        Path db = recorder(dir.resolve("LNX-61.db"), "LNX-61", 150_000); // an ingest of a few seconds: the stop comes in it
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        java.io.PrintStream was = System.err;
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            String token = web.server().access().tokens().create(Caller.commandLine(), "admin", "t", 1).secret();
            var answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return upload(web, token, "?name=LNX-61.db", HttpRequest.BodyPublishers.ofFile(db));
                } catch (Exception e) {
                    return null; // the stop may close the connection before the answer goes out
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (web.data().store().sources().list(null).stream().noneMatch(s -> s.state().equals("ingesting"))) {
                assertTrue(System.nanoTime() < deadline, "the upload's ingest never began");
                assertFalse(answer.isDone(), "answered before its ingest was seen: " + answer.getNow(null));
                Thread.sleep(2);
            }
            System.setErr(new java.io.PrintStream(console, true, StandardCharsets.UTF_8));
            web.server().close();
            System.setErr(was);
            HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
            if (response != null) {
                assertEquals(503, response.statusCode(), response.body());
                assertTrue(response.body().contains(trailhound.access.Snapshots.STOPPED_UPLOAD), response.body());
            }
            List<String> details = web.server().access().audit().list(new trailhound.store.AuditTrail.Filter(null, "snapshot.upload", null,
                    null, null), 0, 100).stream().map(e -> e.event().outcome() + " " + e.event().detail()).toList();
            assertEquals(List.of("failed LNX-61.db: " + trailhound.access.Snapshots.STOPPED_UPLOAD), details);
            assertTrue(web.data().catalogue().snapshots("LNX-61").isEmpty(), "no snapshot of it kept");
            String log = console.toString(StandardCharsets.UTF_8);
            assertFalse(log.contains("Exception") || log.contains("\tat "), log);
            assertTrue(log.contains("trailhound: stopped an ingest under way; nothing of it is kept"), log);
            try (trailhound.web.WebServer restarted = trailhound.web.WebServer.start(web.data(), trailhound.web.WebOptions.defaults()
                    .withPort(0).withTemplateSources(null).withVirusTotal(null).withInitialPasswordChange(false))) {
                HttpResponse<String> again = CLIENT.send(HttpRequest.newBuilder(URI.create(restarted.url() + "/api/v1/snapshots?name=LNX-61.db"))
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofFile(db)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(201, again.statusCode(), again.body());
                assertEquals(150_000, JSON.readTree(again.body()).path("events_added").asLong(), again.body());
            }
        } finally {
            System.setErr(was);
        }
    }

    @Test
    void upload_readOnlyUser_isForbidden() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            Caller cli = Caller.commandLine();
            web.server().access().accounts().create(cli, "ro", Role.READ_ONLY, List.of(), PW, false);
            String ro = web.server().access().tokens().create(cli, "ro", "t", 1).secret();
            HttpResponse<String> r = upload(web, ro, "?name=x.db", HttpRequest.BodyPublishers.ofFile(recorder(dir.resolve("x.db"), "X", 1)));
            assertEquals(403, r.statusCode());
            assertFalse(get(web, ro, "/snapshots").body().contains("snapshots-upload"), "no upload link for read-only users");
            assertFalse(get(web, ro, "/evidence/files").body().contains("snapshots-upload"), "nor under Saved evidence");
            assertEquals(403, get(web, ro, "/snapshots/upload").statusCode());
        }
    }

    /**
     * 1 GiB, generated as it is sent, to a server whose heap is 64 MiB: held in memory, it could not be
     * received at all. It is received whole (the refusal names what the file starts with, checked after
     * the last byte) and nothing of it is left.
     */
    @Test
    void upload_oneGibibyte_toAServerWithA64MiBHeap_isReceivedInChunks() throws Exception {
        Path data = dir.resolve("data");
        Path log = dir.resolve("server.log");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), UploadServer.class.getName(), data.toString()));
        Process server = new ProcessBuilder(command).redirectError(log.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertTrue(first != null, "the server did not start: " + Files.readString(log));
            Matcher m = Pattern.compile("port=(\\d+) token=(\\S+)").matcher(first);
            assertTrue(m.find(), first);
            long size = 1L << 30;
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(1) + "/api/v1/snapshots?name=big.log"))
                    .header("Authorization", "Bearer " + m.group(2)).timeout(Duration.ofMinutes(10))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> generated(size)), size))
                    .build();
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            assertTrue(server.isAlive(), "the server ran out of memory: " + Files.readString(log));
            assertEquals(422, r.statusCode(), r.body());
            assertTrue(r.body().contains("big.log: not a file Trailhound reads"), r.body());
            assertEquals(List.of(), leftIn(data.resolve("incoming")), "the refused gibibyte is gone");
        } finally {
            server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** {@code size} bytes of text lines that no importer reads, made as they are read. */
    private static InputStream generated(long size) {
        byte[] line = "this line is no telemetry of any kind, only filler for the upload\n".getBytes(StandardCharsets.US_ASCII);
        return new InputStream() {
            long sent;

            @Override
            public int read() {
                return sent < size ? line[(int) (sent++ % line.length)] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (sent >= size) return -1;
                int n = (int) Math.min(len, size - sent);
                for (int i = 0; i < n; i++) b[off + i] = line[(int) ((sent + i) % line.length)];
                sent += n;
                return n;
            }
        };
    }
}
