package trailhound.evtx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.evtx.EvtxBuilder.binXml;
import static trailhound.evtx.EvtxBuilder.nul;
import static trailhound.evtx.EvtxBuilder.of;
import static trailhound.evtx.EvtxBuilder.ofInt;
import static trailhound.evtx.EvtxBuilder.string;
import static trailhound.evtx.EvtxBuilder.stringArray;
import static trailhound.evtx.EvtxBuilder.uint16;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import trailhound.evtx.EvtxBuilder.BinXmlWriter;
import trailhound.evtx.EvtxBuilder.ChunkWriter;

/** Hand-built files: each BinXml construct and each kind of damage on its own. */
class EvtxReaderTest {
    private static final int CHUNK_1 = EvtxReader.FILE_HEADER_SIZE;

    /** {@code <Event><System><EventID>%0</EventID></System><EventData><Data Name="User">%1</Data>...} */
    private static final Consumer<BinXmlWriter> LOGON = t -> t.open("Event").closeStart()
            .open("System").closeStart().open("EventID").closeStart().sub(0, 0x06).end().end()
            .open("EventData").closeStart()
            .openWithAttributes("Data").attr("Name").text("User").closeStart().sub(1, 0x01).end()
            .end().end();

    @Test
    void read_templateDefinedInlineInOneRecord_servesTheLaterRecordsOfTheChunk() throws IOException {
        EvtxBuilder b = new EvtxBuilder();
        ChunkWriter c = b.chunk();
        int[] definition = new int[1];
        c.record(1, x -> definition[0] = x.fragment().template(7, LOGON, uint16(4624), string("alice")));
        c.record(2, x -> x.fragment().templateRef(7, definition[0], uint16(4625), string("bob")));
        c.record(3, x -> x.fragment().templateRef(7, definition[0], uint16(4634), string("carol")));

        Collector r = Collector.read(b.build());

        assertEquals(List.of(
                "<Event><System><EventID>4624</EventID></System><EventData><Data Name=\"User\">alice</Data>"
                + "</EventData></Event>",
                "<Event><System><EventID>4625</EventID></System><EventData><Data Name=\"User\">bob</Data>"
                + "</EventData></Event>",
                "<Event><System><EventID>4634</EventID></System><EventData><Data Name=\"User\">carol</Data>"
                + "</EventData></Event>"),
                r.xml());
        assertEquals(List.of(1L, 2L, 3L), r.ids());
        assertEquals(List.of(), r.damaged);
        assertEquals(new EvtxSummary(1, 3, 0, 0), r.summary);
        assertEquals(CHUNK_1 + 512, r.records.get(0).offset());
        assertEquals(Instant.parse("2019-03-08T23:34:37.095728Z"), r.records.get(0).written());
    }

    @Test
    void read_optionalSubstitutionWithNull_omitsItsElementOrAttribute() throws IOException {
        Consumer<BinXmlWriter> template = t -> t.open("Event").closeStart()
                .openWithAttributes("A").attr("Opt").optionalSub(0, 0x01).closeStart().text("x").end()
                .open("B").closeStart().optionalSub(1, 0x01).end()
                .open("C").closeStart().sub(2, 0x01).end()
                .openWithAttributes("D").attr("Normal").sub(3, 0x01).closeEmpty()
                .end();
        EvtxBuilder b = new EvtxBuilder();
        ChunkWriter c = b.chunk();
        int[] definition = new int[1];
        c.record(1, x -> definition[0] = x.fragment().template(3, template, nul(), nul(), nul(), nul()));
        c.record(2, x -> x.fragment().templateRef(3, definition[0],
                string("1"), string("b"), string("c"), string("d")));

        Collector r = Collector.read(b.build());

        assertEquals(List.of("<Event><A>x</A><C/><D Normal=\"\"/></Event>",
                "<Event><A Opt=\"1\">x</A><B>b</B><C>c</C><D Normal=\"d\"/></Event>"), r.xml());
    }

    @Test
    void read_arrayValue_repeatsItsElementOncePerItem() throws IOException {
        Consumer<BinXmlWriter> template = t -> t.open("EventData").closeStart()
                .open("Data").closeStart().sub(0, 0x81).end()
                .openWithAttributes("Number").attr("Kind").text("u32").closeStart().sub(1, 0x88).end()
                .open("None").closeStart().sub(2, 0x81).end()
                .end();
        EvtxBuilder b = new EvtxBuilder();
        b.chunk().record(1, x -> x.fragment().template(5, template,
                stringArray("a", "", "c"), of(0x88, 7, 0, 0, 0, -1, -1, -1, -1), of(0x81)));

        Collector r = Collector.read(b.build());

        assertEquals(List.of("<EventData><Data>a</Data><Data/><Data>c</Data>"
                + "<Number Kind=\"u32\">7</Number><Number Kind=\"u32\">4294967295</Number><None/></EventData>"),
                r.xml());
    }

    @Test
    void read_binXmlValue_isDecodedInPlaceWithItsOwnTemplateOrWithout() throws IOException {
        Consumer<BinXmlWriter> outer = t -> t.open("Event").closeStart()
                .open("UserData").closeStart().sub(0, 0x21).end()
                .open("EventData").closeStart().sub(1, 0x21).end()
                .end();
        Consumer<BinXmlWriter> inner = t -> t.open("Inner").closeStart()
                .open("X").closeStart().sub(0, 0x01).end()
                .end();
        EvtxBuilder b = new EvtxBuilder();
        b.chunk().record(1, x -> x.fragment().template(1, outer,
                binXml(v -> v.fragment().template(2, inner, string("hi"))),
                binXml(v -> v.fragment()
                        .openWithAttributes("Plain").attr("a").text("1").closeStart().text("t").end())));

        Collector r = Collector.read(b.build());

        assertEquals(List.of("<Event><UserData><Inner><X>hi</X></Inner></UserData>"
                + "<EventData><Plain a=\"1\">t</Plain></EventData></Event>"), r.xml());
    }

    @Test
    void read_elementsWithoutTemplate_areReadWithOrWithoutADependencyIdentifier() throws IOException {
        EvtxBuilder b = new EvtxBuilder();
        ChunkWriter c = b.chunk();
        c.record(1, x -> x.fragment().open("Event").closeStart().text("plain").end());
        c.record(2, x -> new BinXmlWriter(c, true).fragment().open("Event").closeStart().text("with id").end());

        assertEquals(List.of("<Event>plain</Event>", "<Event>with id</Event>"), Collector.read(b.build()).xml());
    }

    @Test
    void read_textReferencesAndCdata_becomeText() throws IOException {
        EvtxBuilder b = new EvtxBuilder();
        b.chunk().record(1, x -> x.fragment().pi("xml-stylesheet", "href=\"a\"").openWithAttributes("Event")
                .attr("q").text("a").entityRef("quot").text("b").closeStart()
                .text("1 ").entityRef("lt").text(" 2 ").charRef('&').text(" ").cdata("<raw>").end());

        Collector r = Collector.read(b.build());

        EvtxElement event = r.records.getFirst().event();
        assertEquals("a\"b", event.attribute("q"));
        assertEquals("1 < 2 & <raw>", event.text());
        assertEquals("<Event q=\"a&quot;b\">1 &lt; 2 &amp; &lt;raw&gt;</Event>", event.toXml());
    }

    /*
     * Expected: as Windows renders Event XML (see Values). This record, written to a file, was read with
     * libevtx's evtxexport 20181227 (Debian libevtx-utils 20181227-2+b2), which prints the same for the
     * unsigned integers, booleans, binary, GUID, SID, HexInt64 and ANSI values, and otherwise: negative
     * integers wrong (-123 for int8 -5: a sign bug), floats as 1.500000e+000, SizeT in decimal (4096),
     * HexInt32 zero-padded (0x000003e7), FILETIME with nine digits, SYSTEMTIME to the millisecond
     * (...36.095Z) and the string's trailing NULs kept. python-evtx 0.6.1 fails on the ANSI value.
     * Floats follow evtx_dump (omerbenamram/evtx): the shortest decimal that reads back the same.
     */
    @Test
    void read_eachValueType_rendersAsWindowsDoes() throws IOException {
        List<EvtxBuilder.Value> values = List.of(
                of(0x03, -5),
                of(0x04, 250),
                EvtxBuilder.value(0x05, le(2).putShort((short) -300).array()),
                uint16(65535),
                ofInt(0x07, -70000),
                ofInt(0x08, -1),
                EvtxBuilder.ofLong(0x09, -5_000_000_000L),
                EvtxBuilder.ofLong(0x0a, -1),
                ofInt(0x0b, Float.floatToIntBits(1.5f)),
                EvtxBuilder.ofLong(0x0c, Double.doubleToLongBits(0.1)),
                ofInt(0x0d, 1),
                ofInt(0x0d, 0),
                ofInt(0x0d, 2),
                of(0x0e, 0x01, 0xab, 0x00),
                of(0x0f, 0x5f, 0x38, 0x70, 0x57, 0x2a, 0xc2, 0xe0, 0x43,
                        0xbf, 0x4c, 0x06, 0xf5, 0x69, 0x8f, 0xfb, 0xd9),
                EvtxBuilder.ofLong(0x10, 0x1000),
                EvtxBuilder.ofLong(0x11, EvtxBuilder.FILETIME_2019),
                EvtxBuilder.value(0x12, le(16).putShort((short) 2019).putShort((short) 3).putShort((short) 5)
                        .putShort((short) 8).putShort((short) 23).putShort((short) 34).putShort((short) 36)
                        .putShort((short) 95).array()),
                EvtxBuilder.value(0x13, le(24).put((byte) 1).put((byte) 4).put(new byte[] {0, 0, 0, 0, 0, 5})
                        .putInt(21).putInt(1).putInt(2).putInt(500).array()),
                ofInt(0x14, 0x3e7),
                EvtxBuilder.ofLong(0x15, 0x8000000000000000L),
                of(0x02, 'c', 'a', 'f', 0xe9, 0),
                string("abc\0\0"),
                of(0x01));
        Consumer<BinXmlWriter> template = t -> {
            t.open("EventData").closeStart();
            for (int i = 0; i < values.size(); i++) {
                t.open("Data").closeStart().sub(i, values.get(i).type()).end();
            }
            t.end();
        };
        EvtxBuilder b = new EvtxBuilder();
        b.chunk().record(1, x -> x.fragment().template(1, template, values.toArray(EvtxBuilder.Value[]::new)));

        Collector r = Collector.read(b.build());

        List<String> texts = r.records.getFirst().event().children("Data").stream().map(EvtxElement::text).toList();
        assertEquals(List.of("-5", "250", "-300", "65535", "-70000", "4294967295", "-5000000000",
                "18446744073709551615", "1.5", "0.1", "true", "false", "true", "01AB00",
                "{5770385F-C22A-43E0-BF4C-06F5698FFBD9}", "0x1000", "2019-03-08T23:34:36.0957280Z",
                "2019-03-08T23:34:36.0950000Z", "S-1-5-21-1-2-500", "0x3e7", "0x8000000000000000", "café", "abc", ""),
                texts);
    }

    @Test
    void read_templateOffsetOutsideTheChunk_isReportedAndTheNextRecordRead() throws IOException {
        EvtxBuilder b = new EvtxBuilder();
        ChunkWriter c = b.chunk();
        int bad = c.record(1, x -> x.fragment().templateRef(7, 0x7ffffff0L, string("x")));
        c.record(2, x -> x.fragment().template(7, LOGON, uint16(1), string("ok")));

        Collector r = Collector.read(b.build());

        assertEquals(List.of(2L), r.ids());
        assertEquals(List.of((CHUNK_1 + bad) + ": record 1: template definition offset 2147483632 is outside the chunk"
                + " (65536 bytes); skipped"), r.damaged);
        assertEquals(new EvtxSummary(1, 1, 0, 1), r.summary);
    }

    @Test
    void read_nameOffsetOutsideTheChunk_isReported() throws IOException {
        EvtxBuilder b = new EvtxBuilder();
        int bad = b.chunk().record(9, x -> x.fragment().raw((byte) 0x01, 0, 0, 0, 0, 0, 0, 0x7f, 0x7f));

        Collector r = Collector.read(b.build());

        assertEquals(List.of((CHUNK_1 + bad) + ": record 9: name offset 2139029504 is outside the chunk (65536 bytes);"
                + " skipped"), r.damaged);
    }

    @Test
    void read_valueOfTheWrongSize_costsOnlyItsRecord() throws IOException {
        EvtxBuilder b = new EvtxBuilder();
        ChunkWriter c = b.chunk();
        int bad = c.record(1, x -> x.fragment().template(7, LOGON, of(0x06, 1, 2, 3), string("x")));
        c.record(2, x -> x.fragment().template(7, LOGON, uint16(2), string("y")));

        Collector r = Collector.read(b.build());

        assertEquals(List.of(2L), r.ids());
        assertEquals(List.of((CHUNK_1 + bad) + ": record 1: value 0: 3 bytes for type 0x6, which takes 2; skipped"),
                r.damaged);
    }

    @Test
    void read_elementsNestedDeeperThanTheLimit_areReportedNotThrown() throws IOException {
        EvtxBuilder b = new EvtxBuilder();
        ChunkWriter c = b.chunk();
        int deep = c.record(1, x -> {
            for (int i = 0; i < 200; i++) {
                x.open("E").closeStart();
            }
            for (int i = 0; i < 200; i++) {
                x.end();
            }
        });
        int nested = c.record(2, x -> x.fragment().template(1, t -> t.open("E").closeStart().sub(0, 0x21).end(),
                nestedBinXml(100)));
        c.record(3, x -> x.fragment().template(7, LOGON, uint16(3), string("z")));

        Collector r = Collector.read(b.build());

        assertEquals(List.of(3L), r.ids());
        assertEquals(2, r.damaged.size());
        assertTrue(r.damaged.get(0).startsWith((CHUNK_1 + deep) + ": record 1: elements nested deeper than 64 levels"),
                r.damaged.get(0));
        assertTrue(r.damaged.get(1).startsWith((CHUNK_1 + nested) + ": record 2: "), r.damaged.get(1));
        assertTrue(r.damaged.get(1).contains("deeper than 64 levels"), r.damaged.get(1));
    }

    /** Arrays repeat elements and BinXml nests: 200 items over five levels would make 200^5 elements. */
    @Test
    @Timeout(60) // a guard against the multiplication, not a measurement
    void read_expansionThatMultiplies_isCappedAndReported() throws IOException {
        EvtxBuilder b = new EvtxBuilder();
        ChunkWriter c = b.chunk();
        int elements = c.record(1, x -> x.fragment().template(1, REPEATED, uint8s(200), multiplying(4)));
        int text = c.record(2, x -> x.fragment().template(2,
                t -> t.open("A").closeStart().sub(0, 0x84).sub(1, 0x01).end(), uint8s(20_000), string("x".repeat(20_000))));
        c.record(3, x -> x.fragment().template(7, LOGON, uint16(3), string("z")));

        Collector r = Collector.read(b.build());

        assertEquals(List.of(3L), r.ids());
        assertEquals(List.of(
                (CHUNK_1 + elements) + ": record 1: the record expands to more than 100000 elements (arrays and nested"
                + " BinXml multiply); not decoded; skipped",
                (CHUNK_1 + text) + ": record 2: the record expands to more than 4000000 characters (arrays and nested"
                + " BinXml multiply); not decoded; skipped"), r.damaged);
    }

    /** {@code <A>%0 %1</A>}: a uint8 array, then BinXml. */
    private static final Consumer<BinXmlWriter> REPEATED =
            t -> t.open("A").closeStart().sub(0, 0x84).sub(1, 0x21).end();

    private static EvtxBuilder.Value multiplying(int depth) {
        return binXml(v -> {
            v.fragment();
            if (depth > 0) {
                v.template(10 + depth, REPEATED, uint8s(200), multiplying(depth - 1));
            }
        });
    }

    private static EvtxBuilder.Value uint8s(int n) {
        return EvtxBuilder.value(0x84, new byte[n]);
    }

    private static EvtxBuilder.Value nestedBinXml(int depth) {
        return binXml(v -> {
            v.fragment();
            if (depth > 0) {
                v.template(depth + 1, t -> t.open("E").closeStart().sub(0, 0x21).end(), nestedBinXml(depth - 1));
            }
        });
    }

    @Test
    void read_zeroSizeRecord_isReportedAndTheRecordsAfterItAreRead() throws IOException {
        EvtxBuilder b = new EvtxBuilder().fileFlags(ChunkReader.NO_CHECKSUMS);
        ChunkWriter c = b.chunk();
        c.record(1, x -> x.fragment().template(7, LOGON, uint16(1), string("a")));
        int zero = c.record(2, x -> x.fragment().template(7, LOGON, uint16(2), string("b")));
        int third = c.record(3, x -> x.fragment().template(7, LOGON, uint16(3), string("c")));
        byte[] file = b.build();
        le(file).putInt(CHUNK_1 + zero + 4, 0);

        Collector r = Collector.read(file);

        assertEquals(List.of(1L, 3L), r.ids());
        assertEquals(List.of((CHUNK_1 + zero) + ": record 2: size 0 is too small for a record; skipped "
                + (third - zero) + " bytes to the next record, at offset " + (CHUNK_1 + third)), r.damaged);
        assertEquals(new EvtxSummary(1, 2, 0, 1), r.summary);
    }

    @Test
    void read_sizeCopyDiffering_isReportedAsDamage() throws IOException {
        EvtxBuilder b = new EvtxBuilder().fileFlags(ChunkReader.NO_CHECKSUMS);
        ChunkWriter c = b.chunk();
        int only = c.record(1, x -> x.fragment().template(7, LOGON, uint16(1), string("a")));
        int end = c.position();
        byte[] file = b.build();
        le(file).putInt(CHUNK_1 + end - 4, 0);

        Collector r = Collector.read(file);

        assertEquals(List.of(), r.records);
        assertEquals(List.of((CHUNK_1 + only) + ": record 1: size " + (end - only) + " differs from its copy at the"
                + " record's end (0); no further record in the chunk (" + (end - only) + " bytes skipped)"), r.damaged);
    }

    @Test
    void read_checksumsThatDoNotMatch_areReportedAndTheRecordsStillRead() throws IOException {
        EvtxBuilder b = new EvtxBuilder();
        int first = b.chunk().record(1, x -> x.fragment().template(7, LOGON, uint16(1), string("a")));
        byte[] file = b.build();
        file[CHUNK_1 + first + 40] ^= 1; // the template definition's next-definition offset: summed, never read
        file[CHUNK_1 + 8] ^= 1; // first record number, in the header

        Collector r = Collector.read(file);

        assertEquals(List.of(1L), r.ids());
        assertEquals(1, r.damaged.size());
        assertTrue(r.damaged.getFirst().matches(CHUNK_1 + ": chunk: header checksum 0x\\p{XDigit}{8} does not match the"
                + " header \\(0x\\p{XDigit}{8}\\); records checksum 0x\\p{XDigit}{8} does not match the records"
                + " \\(0x\\p{XDigit}{8}\\); records read anyway"), r.damaged.getFirst());
        assertEquals(new EvtxSummary(1, 1, 1, 0), r.summary);

        byte[] unchecked = file.clone();
        le(unchecked).putInt(120, ChunkReader.NO_CHECKSUMS);
        assertEquals(List.of(), Collector.read(unchecked).damaged, "a file flagged as carrying no checksums");
    }

    @Test
    void read_blockWithoutChunkSignature_isSkippedAndReported_unusedZeroBlockSilently() throws IOException {
        EvtxBuilder b = new EvtxBuilder();
        b.chunk().record(1, x -> x.fragment().template(7, LOGON, uint16(1), string("a")));
        b.chunk().record(2, x -> x.fragment().template(7, LOGON, uint16(2), string("b")));
        b.chunk().record(3, x -> x.fragment().template(7, LOGON, uint16(3), string("c")));
        byte[] built = b.build();
        byte[] file = Arrays.copyOf(built, built.length + Chunk.SIZE);
        System.arraycopy("XXXXXXXX".getBytes(), 0, file, CHUNK_1 + Chunk.SIZE, 8);

        Collector r = Collector.read(file);

        assertEquals(List.of(1L, 3L), r.ids());
        assertEquals(List.of((CHUNK_1 + Chunk.SIZE) + ": chunk: no chunk signature (found 58 58 58 58 58 58 58 58):"
                + " skipped"), r.damaged);
        assertEquals(new EvtxSummary(2, 2, 1, 0), r.summary);
    }

    @Test
    void read_fileCutOffInsideAChunk_keepsTheRecordsBeforeTheCut() throws IOException {
        EvtxBuilder b = new EvtxBuilder();
        ChunkWriter c = b.chunk();
        c.record(1, x -> x.fragment().template(7, LOGON, uint16(1), string("a")));
        int second = c.record(2, x -> x.fragment().template(7, LOGON, uint16(2), string("b")));
        byte[] file = Arrays.copyOf(b.build(), CHUNK_1 + second + 30);

        Collector r = Collector.read(file);

        assertEquals(List.of(1L), r.ids());
        assertEquals(List.of(CHUNK_1 + ": chunk: cut off by the end of the file after " + (second + 30) + " of 65536"
                + " bytes, so the records past that are lost; records read anyway",
                (CHUNK_1 + second) + ": record 2: size " + (c.position() - second) + " runs past the end of the chunk's"
                + " records (chunk offset " + (second + 30) + "); no further record in the chunk (30 bytes skipped)"),
                r.damaged);
        assertEquals(new EvtxSummary(1, 1, 1, 1), r.summary);

        Collector inHeader = Collector.read(Arrays.copyOf(file, CHUNK_1 + 100));
        assertEquals(List.of(CHUNK_1 + ": chunk: cut off by the end of the file after 100 bytes, inside its 512-byte"
                + " header: skipped"), inHeader.damaged);
        assertEquals(new EvtxSummary(0, 0, 1, 0), inHeader.summary);
    }

    @Test
    void read_fileThatIsOnlyAHeader_hasNoRecordsAndNoDamage() throws IOException {
        Collector r = Collector.read(EvtxBuilder.fileHeader(0, 0));

        assertEquals(new EvtxSummary(0, 0, 0, 0), r.summary);
        assertEquals(List.of(), r.damaged);
    }

    @Test
    void read_fileHeaderChecksumMismatch_isReportedAtOffsetZero() throws IOException {
        byte[] file = EvtxBuilder.fileHeader(0, 0);
        file[24] ^= 1;

        assertEquals(List.of("0: file header: checksum " + ChunkReader.hex32(le(file).getInt(124))
                + " does not match the header (" + ChunkReader.hex32(crc(file)) + "); its counts are not used anyway"),
                Collector.read(file).damaged);
    }

    @Test
    void read_notAnEvtxFile_throws() {
        IOException e = assertThrows(IOException.class, () -> Collector.read("MZ\u0090\0 not a log".getBytes()));
        assertEquals("not an EVTX file: it starts with neither the file signature ElfFile nor, after 4096 bytes,"
                + " a chunk signature ElfChnk", e.getMessage());
        assertThrows(IOException.class, () -> EvtxReader.read(new ByteArrayInputStream(new byte[0]), new Collector()));
    }

    @Test
    void isEvtx_looksAtTheSignatureOnly() {
        assertTrue(EvtxReader.isEvtx("ElfFile\0anything".getBytes()));
        assertFalse(EvtxReader.isEvtx("ElfFile".getBytes()));
        assertFalse(EvtxReader.isEvtx("ElfChnk\0".getBytes()));
    }

    @Test
    void evtxElement_lookupsAndCopies() {
        LinkedHashMap<String, String> attributes = new LinkedHashMap<>();
        attributes.put("Name", "Image");
        EvtxElement data = new EvtxElement("Data", attributes, List.of("C:\\a<b>.exe"));
        attributes.put("Name", "changed");
        EvtxElement other = new EvtxElement("Data", new LinkedHashMap<>(), List.of());
        EvtxElement eventData = new EvtxElement("EventData", new LinkedHashMap<>(), List.of(data, "x", other));

        assertEquals("Image", data.attribute("Name"));
        assertEquals(data, eventData.child("Data"));
        assertEquals(List.of(data, other), eventData.children("Data"));
        assertEquals(null, eventData.child("System"));
        assertEquals("x", eventData.text());
        assertEquals("", other.text());
        assertEquals("<EventData><Data Name=\"Image\">C:\\a&lt;b&gt;.exe</Data>x<Data/></EventData>",
                eventData.toXml());
        assertThrows(UnsupportedOperationException.class, () -> data.attributes().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> data.children().add("y"));
        assertThrows(IllegalArgumentException.class, () -> new EvtxElement("E", attributes, List.of(1)));
        assertArrayEquals(new Object[] {"Name"}, data.attributes().sequencedKeySet().toArray());
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int crc(byte[] header) {
        CRC32 crc = new CRC32();
        crc.update(header, 0, 120);
        return (int) crc.getValue();
    }
}
