package trailhound.web.intel;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import trailhound.query.IocTree;

/**
 * What an OpenIOC or STIX document came to: its name, the tree of what could be imported (null when
 * nothing could), per part left out what it was and why, and the detections it holds ({@code parts}):
 * one IOC each (a STIX bundle's indicators, each named after its indicator; an OpenIOC document's one).
 */
public record IocImport(String name, IocTree tree, List<String> notImported, List<Part> parts) {
    /** One detection of the document, to be one IOC: its name and tree. */
    public record Part(String name, IocTree tree) {}

    /** A document of one detection: {@code tree} (when any) its one part. */
    public IocImport(String name, IocTree tree, List<String> notImported) {
        this(name, tree, notImported, tree == null ? List.of() : List.of(new Part(name, tree)));
    }

    /**
     * How deep groups (STIX parentheses, OpenIOC {@code Indicator}s) may nest in an imported document:
     * the readers recurse per level, and an IOC's query nests its groups' parentheses too.
     */
    public static final int MAX_NESTING = 32;

    public IocImport {
        notImported = List.copyOf(notImported);
        parts = List.copyOf(parts);
    }

    /**
     * The encoding a document is written in: UTF-16 (big- or little-endian) by its byte-order mark, or
     * without one by the zero bytes of its first ASCII character ({@code <}, {@code {}, a space); else UTF-8.
     */
    public static Charset charset(byte[] doc) {
        if (doc.length >= 2) {
            int a = doc[0] & 0xff;
            int b = doc[1] & 0xff;
            if (a == 0xfe && b == 0xff || a == 0 && b != 0) return StandardCharsets.UTF_16BE;
            if (a == 0xff && b == 0xfe || a != 0 && b == 0) return StandardCharsets.UTF_16LE;
        }
        return StandardCharsets.UTF_8;
    }

    /**
     * Why {@code doc} is no text document, or empty when it may be one: bytes that are not text in
     * {@code charset}, or a control character neither XML 1.0 nor JSON allows raw (anything below a space
     * but tab, line feed and carriage return). A binary file then is told apart from a bad document,
     * where the parsers said "Illegal character ((CTRL-CHAR, code 1))" (fourth try-out).
     */
    public static java.util.Optional<String> notText(byte[] doc, Charset charset) {
        String text;
        try {
            text = charset.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(doc)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return java.util.Optional.of("its bytes are not " + charset.name() + " text");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return java.util.Optional.of(String.format(java.util.Locale.ROOT, "it holds binary data (a control character, U+%04X, at"
                        + " character %,d)", (int) c, i + 1));
            }
        }
        return java.util.Optional.empty();
    }
}
