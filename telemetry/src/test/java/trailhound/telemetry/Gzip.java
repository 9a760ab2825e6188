package trailhound.telemetry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Test input: text as gzip bytes (cut them to make a truncated file). */
final class Gzip {
    private Gzip() {}

    static byte[] of(String text) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return gz.toByteArray();
    }
}
