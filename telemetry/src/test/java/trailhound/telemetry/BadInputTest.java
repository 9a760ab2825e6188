package trailhound.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.schema.Event;
import trailhound.schema.Field;

class BadInputTest {
    private static final String LINE_A = "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
            + "\"Hostname\":\"HOST1\",\"UtcTime\":\"2020-10-19 07:30:46.251\",\"ProcessGuid\":\"{AB-CD}\","
            + "\"ProcessId\":\"7\",\"Image\":\"C:\\\\x\\\\a.exe\"}";
    private static final String LINE_B = "{\"EventID\":4624,\"Channel\":\"Security\",\"Hostname\":\"HOST1\","
            + "\"TimeCreated\":\"2020-10-29T08:23:18.073Z\",\"TargetUserName\":\"bob\",\"LogonType\":\"3\"}";

    @TempDir
    Path dir;

    @Test
    void read_badLinesInTheMiddle_reportedWithLineNumbersRestImported() throws IOException {
        Path file = write("bad.json", String.join("\n", LINE_A, LINE_B, "{\"EventID\": oops", LINE_A,
                "{\"Channel\":\"Security\",\"Hostname\":\"H\",\"TimeCreated\":\"2020-10-29T08:23:18.073Z\"}",
                "", "[1,2]", LINE_B.replace("4624", "4625"), "{\"EventID\":1,\"Channel\":\"x\",\"UtcTime\":\"yesterday\"}"));
        List<Event> events = new ArrayList<>();
        ImportReport report = TelemetryImport.read(file, null, events::add);

        assertEquals(8, report.recordsRead(), "the blank line is not a record");
        assertEquals(4, report.malformed());
        assertEquals(List.of(3L, 5L, 7L, 9L), report.firstMalformedLines());
        assertEquals(4, events.size());
        assertEquals(3, report.distinctEvents(), "line 4 repeats line 1");
        assertEquals(java.util.Map.of("process/start", 2L, "security/logon", 1L, "security/logon_failed", 1L),
                report.countsByKind());
    }

    @Test
    void read_oddProcessGuids_importedNotAborted() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String guid : List.of("{", "}", "{}", "", " { ", "{{}}", "\\u007b")) {
            lines.add(LINE_A.replace("{AB-CD}", guid).replace("\"ProcessId\":\"7\"", "\"ProcessId\":\"" + lines.size() + "\""));
        }
        List<Event> events = new ArrayList<>();
        ImportReport report = TelemetryImport.read(write("guids.json", String.join("\n", lines)), null, events::add);
        assertEquals(lines.size(), report.recordsRead());
        assertEquals(0, report.malformed(), report.firstMalformedLines().toString());
        assertEquals(lines.size(), events.size());
    }

    @Test
    void read_moreThanTenMalformed_keepsTheFirstTenLineNumbers() throws IOException {
        StringBuilder text = new StringBuilder(LINE_A).append('\n');
        for (int i = 0; i < 15; i++) {
            text.append("not json\n");
        }
        ImportReport report = TelemetryImport.read(write("many.json", "{" + text.substring(1)), null, e -> { });
        assertEquals(15, report.malformed());
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L), report.firstMalformedLines());
    }

    @Test
    void read_sameLineTwiceAndReimport_identicalUids() throws IOException {
        Path file = write("dup.json", LINE_A + "\n" + LINE_A + "\r\n" + LINE_B + "\n");
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        TelemetryImport.read(file, null, e -> first.add(e.uid()));
        TelemetryImport.read(file, null, e -> second.add(e.uid()));
        assertEquals(first.get(0), first.get(1), "a line shipped twice is one event (CRLF ignored)");
        assertTrue(!first.get(0).equals(first.get(2)));
        assertEquals(first, second, "re-importing gives the same uids");
    }

    @Test
    void read_truncatedZip_reportsTruncationAndKeepsWhatWasRead() throws IOException {
        Path zip = Datasets.root().resolve("otrf/cmd_psexec_lsa_secrets_dump.zip");
        byte[] bytes = Files.readAllBytes(zip);
        Path cut = dir.resolve("cut.zip");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));

        List<Event> events = new ArrayList<>();
        ImportReport report = TelemetryImport.read(cut, null, events::add);

        assertTrue(report.warnings().stream().anyMatch(w -> w.startsWith("zip truncated")), report.warnings().toString());
        assertTrue(events.size() > 0 && events.size() < 286, "kept " + events.size());
        assertEquals(report.eventsEmitted(), events.size());
    }

    @Test
    void read_truncatedGzip_reportsTruncationAndKeepsWhatWasRead() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append(LINE_A.replace("7\"", i + "\"")).append('\n');
        }
        byte[] bytes = Gzip.of(text.toString());
        Path cut = dir.resolve("events.json.gz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length * 2 / 3));

        List<Event> events = new ArrayList<>();
        ImportReport report = TelemetryImport.read(cut, null, events::add);

        assertTrue(report.warnings().stream().anyMatch(w -> w.startsWith("gzip truncated after")),
                report.warnings().toString());
        assertTrue(events.size() > 100 && events.size() < 2000, "kept " + events.size());
        assertEquals(Optional.of(TelemetryFormat.WINDOWS_JSON_LINES), TelemetryImport.detect(cut));
    }

    /**
     * A truncated .gz yields every complete record before the cut, and not the one cut, whatever the
     * format: the number of complete records in what can still be decompressed, exactly.
     */
    @Test
    void read_truncatedGzip_everyCompleteRecordBeforeTheCut() throws IOException {
        StringBuilder json = new StringBuilder();
        StringBuilder xml = new StringBuilder("<Events>\n");
        StringBuilder audit = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            json.append(LINE_A.replace("7\"", i + "\"")).append('\n');
            xml.append("<Event><System><EventID>11</EventID><TimeCreated SystemTime='2020-10-19T07:30:46.000Z'/><EventRecordID>")
                    .append(i).append("</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>ws</Computer>")
                    .append("</System><EventData><Data Name='TargetFilename'>C:\\f").append(i).append(".txt</Data></EventData></Event>\n");
            audit.append("node=ws type=SYSCALL msg=audit(1700000000.").append(String.format("%03d", i % 1000)).append(':').append(i)
                    .append("): arch=c000003e syscall=59 success=yes exit=0 items=1 ppid=1 pid=").append(i)
                    .append(" auid=0 uid=0 comm=\"x\" exe=\"/bin/x\"\nnode=ws type=EOE msg=audit(1700000000.000:").append(i).append("): \n");
        }
        for (String format : List.of("json", "xml", "audit")) {
            String text = switch (format) {
                case "json" -> json.toString();
                case "xml" -> xml.toString();
                default -> audit.toString();
            };
            byte[] gz = Gzip.of(text);
            for (int cut : new int[] {gz.length / 3, gz.length / 2, gz.length * 4 / 5}) {
                Path file = dir.resolve("cut.gz");
                Files.write(file, Arrays.copyOf(gz, cut));
                String readable = readableBeforeTheCut(file);
                String lines = readable.substring(0, readable.lastIndexOf('\n') + 1);
                long complete = switch (format) {
                    case "xml" -> countOf(readable, "</Event>");
                    case "audit" -> countOf(lines, "type=SYSCALL");
                    default -> lines.lines().count();
                };
                List<Event> events = new ArrayList<>();
                ImportReport report = TelemetryImport.read(file, null, events::add);
                assertEquals(complete, events.size(), format + ": every complete record before the cut at " + cut + ": " + report);
                assertTrue(report.warnings().stream().anyMatch(w -> w.startsWith("gzip truncated after")), report.warnings().toString());
            }
        }
    }

    private static String readableBeforeTheCut(Path gz) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) out.write(buffer, 0, n); // each read returns what it inflated before the cut
        } catch (java.io.EOFException e) {
            // the cut
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static long countOf(String text, String what) {
        long n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    /** A .tar.gz bundle (a triage collection): each file recognised on its own, the others skipped by name. */
    @Test
    void read_tarGzBundle_eachFileOnItsOwn() throws IOException {
        java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(tar)) {
            for (String[] f : new String[][] {{"collection/README.txt", "triage of ws-1\n"}, {"collection/sysmon.json", LINE_A + "\n" + LINE_B + "\n"}}) {
                byte[] bytes = f[1].getBytes(java.nio.charset.StandardCharsets.UTF_8);
                var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(f[0]);
                entry.setSize(bytes.length);
                out.putArchiveEntry(entry);
                out.write(bytes);
                out.closeArchiveEntry();
            }
        }
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(tar.toByteArray());
        }
        Path file = Files.write(dir.resolve("triage.tar.gz"), gz.toByteArray());
        assertEquals(Optional.of(TelemetryFormat.WINDOWS_JSON_LINES), TelemetryImport.detect(file));
        ImportReport report = TelemetryImport.read(file, null, e -> { });
        assertEquals(2, report.eventsEmitted());
        assertEquals(List.of("collection/README.txt skipped: not a telemetry format (starts with \"triage of ws-1.\")"),
                report.warnings());
    }

    /** Try-out findings: each once crashed, was refused whole or lost its values. */
    @Test
    void read_aHugeLine_aTruncatedGzCutEarly_aLongFirstAuditLine_controlCharactersInXml() throws IOException {
        Path huge = dir.resolve("huge.json");
        try (var out = Files.newBufferedWriter(huge)) {
            out.write(LINE_A + "\n{\"EventID\":1,\"CommandLine\":\"");
            char[] spaces = new char[1 << 20];
            java.util.Arrays.fill(spaces, 'x');
            for (int i = 0; i < 33; i++) out.write(spaces);
            out.write("\"}\n" + LINE_B + "\n");
        }
        ImportReport report = TelemetryImport.read(huge, null, e -> { });
        assertEquals(2, report.eventsEmitted(), "the lines around it are read");
        assertEquals(List.of("line 2: longer than 32 MB: not read"), report.firstMalformed());

        StringBuilder audit = new StringBuilder();
        java.util.Random random = new java.util.Random(7); // varied values: the gzip holds many records before a cut
        for (int i = 0; i < 400; i++) {
            audit.append("node=ws type=SYSCALL msg=audit(1700000000.100:").append(i).append("): arch=c000003e syscall=59 success=yes")
                    .append(" exit=0 items=1 ppid=1 pid=").append(random.nextInt(1 << 20)).append(" comm=\"x\" exe=\"/bin/")
                    .append(Long.toHexString(random.nextLong())).append("\"\n");
        }
        byte[] gz = Gzip.of(audit.toString());
        Path early = Files.write(dir.resolve("early.log.gz"), Arrays.copyOf(gz, 600)); // its first 8 KB are not all there
        assertEquals(Optional.of(TelemetryFormat.LINUX_AUDIT), TelemetryImport.detect(early), "what it holds before the cut decides");
        assertTrue(TelemetryImport.read(early, null, e -> { }).eventsEmitted() > 0);

        String longFirst = "node=ws type=EXECVE msg=audit(1700000000.100:1): argc=1 a0=\"" + "y".repeat(9000) + "\"\n" + audit;
        Path longAudit = Files.writeString(dir.resolve("long.log"), longFirst);
        assertEquals(Optional.of(TelemetryFormat.LINUX_AUDIT), TelemetryImport.detect(longAudit), "a first record longer than 8 KB");

        Path xml = write("controls.xml", "<Event><System><EventID>11</EventID><TimeCreated SystemTime='2020-10-19T07:30:46Z'/>"
                + "<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>ws</Computer></System><EventData>"
                + "<Data Name='TargetFilename'>C:\\a\u0001b\u0000c.txt</Data></EventData></Event>\n");
        List<Event> events = new ArrayList<>();
        TelemetryImport.read(xml, null, events::add);
        assertEquals("C:\\a\u0001b\uFFFDc.txt", events.getFirst().get(trailhound.schema.Field.FILE_PATH), "kept, NUL replaced");
    }

    @Test
    void read_completeGzip_readsEverything() throws IOException {
        Path file = dir.resolve("no-extension-hint");
        Files.write(file, Gzip.of(LINE_A + "\n" + LINE_B + "\n"));
        ImportReport report = TelemetryImport.read(file, null, e -> { });
        assertEquals(2, report.eventsEmitted());
        assertEquals(List.of(), report.warnings());
    }

    @Test
    void read_unknownFormat_errorNamesFileAndAcceptedFormats() throws IOException {
        Path file = write("notes.json", "hello, this is not telemetry\n");
        UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class,
                () -> TelemetryImport.read(file, null, x -> { }));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        for (TelemetryFormat format : TelemetryFormat.values()) {
            assertTrue(e.getMessage().contains(format.description()), e.getMessage());
        }
        assertEquals(Optional.empty(), TelemetryImport.detect(file));
    }

    @Test
    void read_zipWithoutTelemetry_errorNamesTheEntry() throws IOException {
        Path zip = dir.resolve("other.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.write("just text".getBytes(StandardCharsets.UTF_8));
        }
        UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class,
                () -> TelemetryImport.read(zip, null, x -> { }));
        assertTrue(e.getMessage().contains("readme.txt"), e.getMessage());
    }

    @Test
    void read_zipWithTelemetryAndOtherEntries_readsTelemetryWarnsAboutTheRest() throws IOException {
        Path zip = dir.resolve("mixed.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.write("just text".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("a.json"));
            out.write((LINE_A + "\n").getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("b.json"));
            out.write((LINE_B + "\n").getBytes(StandardCharsets.UTF_8));
        }
        ImportReport report = TelemetryImport.read(zip, null, e -> { });
        assertEquals(2, report.eventsEmitted());
        assertEquals(1, report.warnings().size(), report.warnings().toString());
        assertTrue(report.warnings().getFirst().contains("readme.txt"));
    }

    @Test
    void read_securityLogon_mapsLogonFields() throws IOException {
        List<Event> events = new ArrayList<>();
        TelemetryImport.read(write("s.json", LINE_B.replace("}", ",\"IpAddress\":\"10.0.0.9\",\"TargetDomainName\":\"CORP\"}")),
                null, events::add);
        Event e = events.getFirst();
        assertEquals("CORP\\bob", e.get(Field.TARGET_USER));
        assertEquals("3", e.get(Field.LOGON_TYPE));
        assertEquals("10.0.0.9", e.get(Field.LOGON_SOURCE_IP));
        assertEquals(1603959798073L, e.ts());
        assertEquals("Security", e.get(Field.CHANNEL));
        assertEquals("4624", e.get(Field.EVENT_ID));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
