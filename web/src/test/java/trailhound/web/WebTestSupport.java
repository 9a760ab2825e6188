package trailhound.web;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import trailhound.index.IndexBackend;
import trailhound.ingest.DataDir;
import trailhound.ingest.Ingestor;
import trailhound.recorder.RecorderMeta;
import trailhound.recorder.RecorderProcess;
import trailhound.recorder.RecorderWriter;
import trailhound.schema.Field;

/**
 * Test harness for the web module: a data folder with one small, fully known endpoint (written as a
 * real recorder database and ingested by the real Ingestor), the real server on a random port and
 * an HTTP client that signs in like a browser (cookies, CSRF token) and does not follow redirects.
 *
 * <p>The endpoint {@value #ENDPOINT} holds {@value #TOTAL} events: file 90, network 25, image 13,
 * dns 12, registry 7, process 3; processes {@value #EXPLORER} (root), {@value #POWERSHELL} and
 * {@value #CHROME} (children of explorer).
 */
public final class WebTestSupport implements AutoCloseable {
    public static final String ENDPOINT = "WS-TEST-01";
    public static final int TOTAL = 150;
    public static final Map<String, Long> TYPE_COUNTS = Map.of(
            "file", 90L, "network", 25L, "image", 13L, "dns", 12L, "registry", 7L, "process", 3L);
    public static final String EXPLORER = "p-explorer";
    public static final String POWERSHELL = "p-powershell";
    public static final String CHROME = "p-chrome";
    /** 2026-11-19T00:00:00Z, the first event; event i is {@code i} seconds later. */
    public static final long T0 = Instant.parse("2026-11-19T00:00:00Z").toEpochMilli();

    private final DataDir data;
    private final WebServer server;
    private final String adminPassword;
    private final HttpClient http;
    private String csrf;
    private final boolean owner;

    private WebTestSupport(DataDir data, WebServer server) {
        this(data, server, server.initialAdminPassword().orElseThrow(), true);
    }

    private WebTestSupport(DataDir data, WebServer server, String adminPassword, boolean owner) {
        this.owner = owner;
        this.data = data;
        this.server = server;
        this.adminPassword = adminPassword;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A data folder under {@code dir} with the test endpoint, and a server on a random loopback port (not signed in). */
    public static WebTestSupport start(Path dir) throws IOException {
        return start(dir, options -> options);
    }

    /** As {@link #start(Path)}, with the server options changed by {@code tune} (e.g. a VirusTotal stub). */
    public static WebTestSupport start(Path dir, UnaryOperator<WebOptions> tune) throws IOException {
        return start(dir, null, tune);
    }

    /** As {@link #start(Path, UnaryOperator)}, the events in {@code backend} (null: the local indexes). */
    public static WebTestSupport start(Path dir, IndexBackend backend, UnaryOperator<WebOptions> tune) throws IOException {
        DataDir data = DataDir.open(dir.resolve("data"), backend);
        Path db = dir.resolve(ENDPOINT + ".db");
        writeRecorder(db);
        new Ingestor(data, 1).ingest(db, null);
        // VirusTotal off whatever the environment says: nothing in tests may reach the internet.
        WebServer server = WebServer.start(data,
                tune.apply(WebOptions.defaults().withPort(0).withTemplateSources(null).withVirusTotal(null)
                        .withInitialPasswordChange(false)));
        return new WebTestSupport(data, server);
    }

    /** Another browser on the same server: its own cookie jar, not signed in; closing it closes nothing. */
    public WebTestSupport anotherBrowser() {
        return new WebTestSupport(data, server, adminPassword, false);
    }

    public DataDir data() {
        return data;
    }

    public WebServer server() {
        return server;
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** The session's CSRF token (after {@link #signIn()}). */
    public String csrf() {
        return csrf;
    }

    /** Signs in as {@code admin} through the login form; fails the test when it does not work. */
    public WebTestSupport signIn() throws IOException {
        return signIn("admin", adminPassword);
    }

    /** Signs in as this user (in a fresh cookie jar); fails the test when it does not work. */
    public WebTestSupport signIn(String user, String password) throws IOException {
        ((CookieManager) http.cookieHandler().orElseThrow()).getCookieStore().removeAll();
        HttpResponse<String> form = get("/login");
        String token = find(form.body(), "name=\"_csrf\" value=\"([^\"]+)\"");
        HttpResponse<String> done = postForm("/login", Map.of("_csrf", token, "username", user, "password", password));
        if (done.statusCode() != 303) {
            throw new AssertionError("sign-in failed with " + done.statusCode() + ": " + done.body());
        }
        csrf = find(get("/account/password").body(), "name=\"_csrf\" value=\"([^\"]+)\""); // open even while a change is required
        return this;
    }

    public HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> getBytes(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> postForm(String path, Map<String, String> form) throws IOException {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a JSON body with the session's CSRF token, as the API's clients do. */
    public HttpResponse<String> postJson(String path, String json) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .header("X-CSRF-Token", csrf == null ? "" : csrf)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** PUTs a JSON body with the session's CSRF token, as the API's clients do. */
    public HttpResponse<String> putJson(String path, String json) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .header("X-CSRF-Token", csrf == null ? "" : csrf)
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs an already encoded form body (a field may repeat, as a page's lists of inputs send it). */
    public HttpResponse<String> postFormEncoded(String path, String body) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs {@code body} as it is (bytes in any encoding) with the session's CSRF token. */
    public HttpResponse<String> postBytes(String path, String contentType, byte[] body) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType).header("X-CSRF-Token", csrf == null ? "" : csrf)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** DELETEs with the session's CSRF token, as the API's clients do. */
    public HttpResponse<String> delete(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).header("X-CSRF-Token", csrf == null ? "" : csrf).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A query-string component. */
    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    public static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new AssertionError("no match for " + regex + " in:\n" + text);
        }
        return m.group(1);
    }

    private URI uri(String path) {
        return URI.create(server.url() + path);
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() throws IOException {
        if (!owner) return;
        server.close();
        data.close();
    }

    /** The test endpoint as a real recorder database. */
    static void writeRecorder(Path db) throws IOException {
        Files.deleteIfExists(db);
        RecorderMeta meta = RecorderMeta.of(ENDPOINT, "windows", "10.0.19045", "test", "10.1.2.3", "rec-1", T0);
        String sha = "5f4dcc3b5aa765d61d8327deb882cf995f4dcc3b5aa765d61d8327deb882cf99";
        try (RecorderWriter w = RecorderWriter.create(db, meta)) {
            w.addProcess(new RecorderProcess(EXPLORER, 1000, 4, null, "C:\\Windows\\explorer.exe", "explorer.exe",
                    "C:\\Windows\\explorer.exe", "CORP\\bob", "C:\\Windows", null, null, sha, "Microsoft Windows", "valid", T0, null));
            w.addProcess(new RecorderProcess(POWERSHELL, 2000, 1000, EXPLORER,
                    "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "powershell.exe",
                    "powershell.exe -nop -w hidden -enc SQBFAFgA", "CORP\\bob", "C:\\Users\\bob", null, null,
                    "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90", "Microsoft Windows", "valid", T0 + 1000, null));
            w.addProcess(new RecorderProcess(CHROME, 3000, 1000, EXPLORER,
                    "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "chrome.exe",
                    "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --profile-directory=Default",
                    "CORP\\bob", "C:\\Users\\bob", null, null, null, "Google LLC", "valid", T0 + 2000, null));
            int[] i = {0};
            Map<String, Integer> plan = new LinkedHashMap<>();
            RecorderWriter.Row row = w.row();
            for (String key : new String[] {EXPLORER, POWERSHELL, CHROME}) {
                w.addEvent(row.clear().ts(T0 + 1000L * i[0]++).type("process").operation("start").processKey(key));
            }
            plan.put("file", 90);
            plan.put("network", 25);
            plan.put("image", 13);
            plan.put("dns", 12);
            plan.put("registry", 7);
            for (int n = 0; n < plan.get("file"); n++) {
                w.addEvent(row.clear().ts(T0 + 1000L * i[0]++).type("file").operation("create").processKey(POWERSHELL)
                        .set(Field.FILE_PATH, "C:\\Users\\bob\\AppData\\Roaming\\drop" + n + ".dll"));
            }
            for (int n = 0; n < plan.get("network"); n++) {
                w.addEvent(row.clear().ts(T0 + 1000L * i[0]++).type("network").operation("connect").processKey(CHROME)
                        .set(Field.LOCAL_IP, "10.1.2.3").set(Field.LOCAL_PORT, 50000 + n)
                        .set(Field.REMOTE_IP, "93.184.216." + (n + 1)).set(Field.REMOTE_PORT, n < 20 ? 443 : 8443)
                        .set(Field.PROTOCOL, "tcp").set(Field.DIRECTION, "outbound"));
            }
            for (int n = 0; n < plan.get("image"); n++) {
                w.addEvent(row.clear().ts(T0 + 1000L * i[0]++).type("image").operation("load").processKey(POWERSHELL)
                        .set(Field.IMAGE_PATH, "C:\\Windows\\System32\\lib" + n + ".dll"));
            }
            for (int n = 0; n < plan.get("dns"); n++) {
                w.addEvent(row.clear().ts(T0 + 1000L * i[0]++).type("dns").operation("query").processKey(CHROME)
                        .set(Field.DNS_QUERY, "host" + n + ".example.com").set(Field.DNS_ANSWER, "93.184.216." + (n + 1)));
            }
            for (int n = 0; n < plan.get("registry"); n++) {
                w.addEvent(row.clear().ts(T0 + 1000L * i[0]++).type("registry").operation("set_value").processKey(POWERSHELL)
                        .set(Field.REGISTRY_KEY, "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run")
                        .set(Field.REGISTRY_VALUE_NAME, "updater" + n).set(Field.REGISTRY_VALUE_DATA, "rundll32.exe drop" + n + ".dll"));
            }
        }
    }
}
