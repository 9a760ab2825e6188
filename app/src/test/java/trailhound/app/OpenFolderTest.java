package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Try-out finding: a data folder made beforehand with mkdir stayed readable by everyone, and ingest said nothing. */
class OpenFolderTest {
    @TempDir
    Path tmp;

    @Test
    void ingest_intoAFolderOthersMayRead_warnsWithTheChmod() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("pre"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path file = Files.writeString(tmp.resolve("events.json"), "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
                + "\"Hostname\":\"ws-open\",\"UtcTime\":\"2026-10-19 07:30:46.251\",\"ProcessGuid\":\"{AB-CD}\",\"ProcessId\":\"7\","
                + "\"Image\":\"C:\\\\x.exe\",\"CommandLine\":\"x.exe\"}\n");
        Cli c = Cli.run("ingest", "--data", data.toString(), file.toString());
        assertEquals(0, c.status(), c.err());
        assertTrue(c.err().contains("is open to other users of this machine (rwxr-xr-x)") && c.err().contains("chmod 700 " + data),
                c.err());
    }
}
