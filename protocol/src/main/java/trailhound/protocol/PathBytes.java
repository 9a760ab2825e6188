package trailhound.protocol;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/*
 * Why bytes beside the text: on Linux a file name is any bytes but '/' and NUL, and a name that is not
 * UTF-8 (bad\xff.bin, made to evade tools) cannot be a JSON string without losing the bad bytes, which
 * then names no file. Each path or name travels as its text (UTF-8 decoded, U+FFFD for what is not UTF-8,
 * what people and older peers read) and, only when that text lost something, its exact bytes in base64
 * beside it (`path_bytes`, `name_bytes`). A receiver takes the bytes when present, else the text's UTF-8:
 * so every ordinary name travels as before, with no extra field.
 */

/**
 * File names and paths on an endpoint as bytes: the text and base64 forms they travel in, and the form
 * people read, where each byte that is not part of valid UTF-8 is written {@code \xFF}. Windows names
 * are their UTF-8. Stateless, thread-safe.
 */
public final class PathBytes {
    private PathBytes() {}

    /** One piece of a name as shown: text, or one byte that is not UTF-8 ({@link #text} is then {@code \xFF}). */
    public record Part(String text, boolean badByte) {}

    /**
     * The bytes a message names: {@code base64} (standard alphabet) decoded when given, else the UTF-8 of
     * {@code text}; null when both are null.
     *
     * @throws ProtocolException when {@code base64} is not base64
     */
    public static byte[] of(String text, String base64) {
        if (base64 != null) {
            try {
                return Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw new ProtocolException("path bytes '" + base64 + "' are not base64: " + e.getMessage());
            }
        }
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    /** The text form: the bytes as UTF-8, U+FFFD where they are not; null for null. */
    public static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** The bytes in base64 (standard alphabet) when {@link #text} loses some of them, else null (the field stays absent). */
    public static String base64(byte[] bytes) {
        return bytes == null || utf8(bytes) ? null : Base64.getEncoder().encodeToString(bytes);
    }

    /** Whether {@code bytes} are valid UTF-8 (no overlong forms, no surrogates), so that the text form is exact. */
    public static boolean utf8(byte[] bytes) {
        return parts(bytes).stream().noneMatch(Part::badByte);
    }

    /** The form people read: the text, with {@code \xFF} (two upper-case hex digits) for each byte that is not UTF-8. */
    public static String escaped(byte[] bytes) {
        if (bytes == null) return null;
        StringBuilder b = new StringBuilder(bytes.length + 8);
        for (Part p : parts(bytes)) b.append(p.text());
        return b.toString();
    }

    /** The bytes in order as runs of text and single bytes that are not UTF-8 (each its own part, to be marked). */
    public static List<Part> parts(byte[] bytes) {
        List<Part> parts = new ArrayList<>();
        if (bytes == null) return parts;
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1); // UTF-8 never gives more chars than bytes
        while (true) {
            CoderResult r = utf8.decode(in, out, true);
            if (r.isError()) {
                text(out, parts);
                for (int i = 0; i < r.length(); i++) parts.add(new Part(String.format("\\x%02X", in.get() & 0xff), true));
            } else {
                utf8.flush(out);
                text(out, parts);
                return parts;
            }
        }
    }

    private static void text(CharBuffer out, List<Part> parts) {
        out.flip();
        if (out.hasRemaining()) parts.add(new Part(out.toString(), false));
        out.clear();
    }
}
