package trailhound.web.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceTransfersTest {
    @TempDir Path dir;

    @Test
    void sweep_removesThePartsAStopLeft_keepsTheEvidence() throws Exception {
        Path kept = Files.writeString(dir.resolve("3"), "complete evidence");
        Files.write(dir.resolve("4.part"), new byte[1000]);
        Files.write(dir.resolve("5.part"), new byte[24]);
        assertEquals(1024, EvidenceTransfers.sweep(dir));
        assertFalse(Files.exists(dir.resolve("4.part")) || Files.exists(dir.resolve("5.part")));
        assertTrue(Files.exists(kept));
        assertEquals(0, EvidenceTransfers.sweep(dir.resolve("none")), "no evidence folder yet");
    }
}
