package trailhound.agent;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/*
 * Why file URIs rather than native calls: on Linux a name is bytes, and Java turns a Path into a String
 * (and a String into a Path) through sun.jnu.encoding, which replaces bytes that are not UTF-8 by U+FFFD
 * (or refuses them under LC_ALL=C). But the Path itself keeps the bytes the directory read gave it, and
 * the default provider maps a Path to a file URI and back byte for byte: toUri() percent-encodes every
 * byte, Path.of(URI) decodes each %XX into that byte, and the JDK guarantees
 * Path.of(p.toUri()).equals(p.toAbsolutePath()), where a Unix path's equality is its bytes. So every
 * operation (lstat, realpath, open, read, unlink) runs on the exact bytes through the ordinary file API,
 * without JNA or a native library in the agent.
 */

/**
 * A path's exact bytes, and the path of given bytes, on the agent's file system: on Unix the bytes the
 * operating system holds, whatever the locale; on Windows the UTF-8 of the name. Thread-safe.
 */
final class RawPaths {
    private static final boolean UNIX = FileSystems.getDefault().getSeparator().equals("/");
    /** How the JDK turns this Path's text into bytes: where a name's text is exact, its bytes in this charset. */
    private static final Charset NATIVE = nativeCharset();

    private RawPaths() {}

    private static Charset nativeCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** The exact bytes of {@code p} made absolute. */
    static byte[] bytes(Path p) {
        Path abs = p.toAbsolutePath();
        if (!UNIX) return abs.toString().getBytes(StandardCharsets.UTF_8);
        String text = abs.toString();
        try {
            if (abs.getFileSystem().getPath(text).equals(abs)) return text.getBytes(NATIVE); // the text is exact: the common case
        } catch (InvalidPathException notEncodable) {
            // a name the locale cannot encode: read its bytes from the URI
        }
        String raw = abs.toUri().getRawPath(); // a folder's ends with '/'
        if (raw.length() > 1 && raw.endsWith("/")) raw = raw.substring(0, raw.length() - 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                out.write(Integer.parseInt(raw, i + 1, i + 3, 16));
                i += 2;
            } else {
                out.write(c); // toUri escapes every byte outside printable ASCII
            }
        }
        return out.toByteArray();
    }

    /** The exact bytes of {@code p}'s last name. */
    static byte[] nameBytes(Path p) {
        byte[] all = bytes(p);
        int cut = all.length;
        while (cut > 0 && all[cut - 1] != (UNIX ? '/' : '\\')) cut--;
        return java.util.Arrays.copyOfRange(all, cut, all.length);
    }

    /**
     * The absolute path of {@code bytes}.
     *
     * @throws IllegalArgumentException when they are not an absolute path (a NUL byte, or relative)
     * @throws InvalidPathException on Windows, when they do not make a path
     */
    static Path path(byte[] bytes) {
        if (!UNIX) {
            Path p = Path.of(new String(bytes, StandardCharsets.UTF_8));
            if (!p.isAbsolute()) throw new IllegalArgumentException("not absolute");
            return p;
        }
        if (bytes.length == 0 || bytes[0] != '/') throw new IllegalArgumentException("not absolute");
        StringBuilder uri = new StringBuilder("file://");
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            if (c == '/' && (i + 1 == bytes.length ? i > 0 : bytes[i + 1] == '/')) continue; // "//" and a trailing "/", as Path.of(text)
            if (c == 0) throw new IllegalArgumentException("a path holds no NUL byte");
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "/-._~".indexOf(c) >= 0)) uri.append((char) c);
            else uri.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
        }
        return Path.of(URI.create(uri.toString()));
    }

    /** {@code p} as people read it: {@code \xFF} for each byte that is not UTF-8. */
    static String shown(Path p) {
        return trailhound.protocol.PathBytes.escaped(bytes(p));
    }
}
