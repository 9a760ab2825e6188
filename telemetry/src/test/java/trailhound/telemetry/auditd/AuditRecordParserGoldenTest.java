package trailhound.telemetry.auditd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import trailhound.telemetry.Datasets;

/*
 * go-libaudit's auparse golden files hold, for every line of a raw log, the record type, sequence,
 * time and every field that library extracts. Our parser must agree field by field. Where
 * go-libaudit shows an interpretation rather than the raw value, the comparison goes through the
 * same interpretation this project uses (syscall and arch names, decoded SOCKADDR) or, for
 * interpretations the importer does not need (SELinux context split, "unset" ids, errno names,
 * res -> result), through the stated rule in interpreted() below. No golden field is skipped.
 */
class AuditRecordParserGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ERRNO = Map.of("EINPROGRESS", "-115", "EACCES", "-13",
            "ENOENT", "-2", "EPERM", "-1", "EFAULT", "-14");

    @Test
    void parse_goLibauditLogs_everyGoldenFieldAgrees() throws IOException {
        List<Path> goldens = Datasets.files("auditd/go-libaudit", ".log.golden");
        assertFalse(goldens.isEmpty());
        int compared = 0;
        for (Path golden : goldens) {
            Path log = golden.resolveSibling(golden.getFileName().toString().replace(".golden", ""));
            List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
            JsonNode expected = JSON.readTree(golden.toFile());
            assertEquals(expected.size(), lines.size(), log + ": one golden entry per line");
            for (int i = 0; i < lines.size(); i++) {
                String where = log.getFileName() + ":" + (i + 1);
                AuditRecord record = AuditRecordParser.parse(lines.get(i), i + 1);
                JsonNode g = expected.get(i);
                if (g.isNull()) {
                    assertNull(record, where + " is not a record for go-libaudit either");
                    continue;
                }
                assertNotNull(record, where);
                assertEquals(g.get("record_type").asText(), record.type().toLowerCase(), where);
                assertEquals(g.get("sequence").asLong(), record.serial(), where);
                assertEquals(Instant.parse(g.get("@timestamp").asText()).toEpochMilli(), record.epochMillis(), where);
                for (Iterator<Map.Entry<String, JsonNode>> it = g.get("data").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    assertEquals(field.getValue().asText(), interpreted(record, field.getKey(), field.getValue().asText()),
                            where + " field " + field.getKey() + " of " + record.fields());
                    compared++;
                }
            }
        }
        assertTrue(compared > 500, "compared " + compared + " fields");
    }

    @Test
    void parse_nodePrefixAndEnrichedFields_kept() {
        AuditRecord r = AuditRecordParser.parse("node=web-1 type=SYSCALL msg=audit(1604994496.155:92733): arch=c000003e "
                + "syscall=59 success=yes exit=0 uid=0 comm=\"arp\" exe=\"/usr/sbin/arp\"\u001dARCH=x86_64 "
                + "SYSCALL=execve UID=\"root\"", 7);
        assertEquals("web-1", r.node());
        assertEquals(1604994496155L, r.epochMillis());
        assertEquals("root", r.get("UID"));
        assertEquals("0", r.get("uid"));
        assertEquals(7, r.line());
    }

    @Test
    void parse_hexEncodedProctitle_decodedWithSpaces() {
        AuditRecord r = AuditRecordParser.parse(
                "type=PROCTITLE msg=audit(1604994496.155:92734): proctitle=67726570002D76005E3F", 1);
        assertEquals("grep -v ^?", r.get("proctitle"));
    }

    /** Our value in go-libaudit's representation. */
    private static String interpreted(AuditRecord r, String key, String golden) {
        Map<String, String> f = r.fields();
        if (r.type().equals("SOCKADDR") && List.of("family", "addr", "port", "path").contains(key)) {
            SocketAddress a = SocketAddress.decode(f.get("saddr"));
            return switch (key) {
                case "family" -> a.family().startsWith("family_") ? a.family().substring(7) : a.family();
                case "port" -> Integer.toString(a.port());
                default -> a.address();
            };
        }
        String value = f.get(key);
        switch (key) {
            case "syscall" -> {
                return Syscalls.name(f.get("arch"), value);
            }
            case "arch" -> {
                return Syscalls.archName(value);
            }
            case "result" -> {
                String res = f.containsKey("res") ? f.get("res") : f.get("success");
                return List.of("success", "yes", "1").contains(res) ? "success" : "fail";
            }
            default -> { }
        }
        if (key.startsWith("subj_") || key.startsWith("obj_")) {
            String[] context = f.get(key.substring(0, key.indexOf('_'))).split(":", 5);
            int part = List.of("user", "role", "domain", "level", "category").indexOf(key.substring(key.indexOf('_') + 1));
            return part < context.length ? context[part] : null;
        }
        if (golden.equals("unset") && "4294967295".equals(value)) {
            return "unset"; // go-libaudit names the unset id; we keep the number and treat it as absent
        }
        if (ERRNO.containsKey(golden)) {
            return ERRNO.get(golden).equals(value) ? golden : value;
        }
        return value;
    }
}
