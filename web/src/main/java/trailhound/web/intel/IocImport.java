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
}
