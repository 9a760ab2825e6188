package trailhound.web.reputation;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for VirusTotal v3 ({@code GET /api/v3/files/{hash}} with {@code x-apikey}),
 * answering with the documented file-object JSON for the hashes it is given, the documented
 * {@code NotFoundError} for others and {@code WrongCredentialsError} for a wrong key.
 * Records every request so tests can count them.
 */
final class VirusTotalStub implements AutoCloseable {
    static final String KEY = "test-key";

    private final HttpServer server;
    private final Map<String, String> files = new ConcurrentHashMap<>();
    final List<String> requested = new CopyOnWriteArrayList<>();

    VirusTotalStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v3/files/", exchange -> {
            String hash = exchange.getRequestURI().getPath().substring("/api/v3/files/".length());
            requested.add(hash);
            String body;
            int status;
            if (!KEY.equals(exchange.getRequestHeaders().getFirst("x-apikey"))) {
                status = 401;
                body = "{\"error\":{\"code\":\"WrongCredentialsError\",\"message\":\"Wrong API key\"}}";
            } else if (files.containsKey(hash)) {
                status = 200;
                body = files.get(hash);
            } else {
                status = 404;
                body = "{\"error\":{\"code\":\"NotFoundError\",\"message\":\"File \\\"" + hash + "\\\" not found\"}}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v3/");
    }

    /** Serves a file report whose last analysis had these counts; malicious engines are named Engine1.. */
    void file(String hash, int malicious, int suspicious, int harmless, int undetected) {
        StringBuilder results = new StringBuilder();
        for (int i = 1; i <= malicious; i++) {
            results.append(results.isEmpty() ? "" : ",").append("\"Engine").append(i)
                    .append("\":{\"category\":\"malicious\",\"engine_name\":\"Engine").append(i)
                    .append("\",\"engine_version\":\"1.0\",\"result\":\"Trojan.Test\",\"method\":\"blacklist\",\"engine_update\":\"20261101\"}");
        }
        for (int i = 1; i <= undetected; i++) {
            results.append(results.isEmpty() ? "" : ",").append("\"Clean").append(i)
                    .append("\":{\"category\":\"undetected\",\"engine_name\":\"Clean").append(i)
                    .append("\",\"engine_version\":\"1.0\",\"result\":null,\"method\":\"blacklist\",\"engine_update\":\"20261101\"}");
        }
        files.put(hash, """
                {"data":{"id":"%s","type":"file","links":{"self":"https://www.virustotal.com/api/v3/files/%s"},
                 "attributes":{"last_analysis_date":1763000000,"meaningful_name":"test.exe",
                  "last_analysis_stats":{"harmless":%d,"type-unsupported":4,"suspicious":%d,"confirmed-timeout":0,
                   "timeout":0,"failure":0,"malicious":%d,"undetected":%d},
                  "last_analysis_results":{%s}}}}
                """.formatted(hash, hash, harmless, suspicious, malicious, undetected, results));
    }

    /**
     * As {@link #file}, for a file VirusTotal knows by all three hashes (as it does: its file object
     * carries {@code md5}, {@code sha1} and {@code sha256}), answered under each of them.
     */
    void file(String sha256, String sha1, String md5, int malicious, int undetected) {
        file(sha256, malicious, 0, 0, undetected);
        String body = files.get(sha256).replace("\"attributes\":{", "\"attributes\":{\"md5\":\"" + md5 + "\",\"sha1\":\""
                + sha1 + "\",\"sha256\":\"" + sha256 + "\",");
        files.put(sha256, body);
        files.put(sha1, body);
        files.put(md5, body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
