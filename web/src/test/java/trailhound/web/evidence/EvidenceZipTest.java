package trailhound.web.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.lingala.zip4j.io.inputstream.ZipInputStream;
import net.lingala.zip4j.model.LocalFileHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceZipTest {
    @TempDir Path dir;

    /** Entry name -> content, read back with the password. */
    private static List<String[]> entries(byte[] zip) throws Exception {
        List<String[]> out = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip), EvidenceZip.PASSWORD.toCharArray())) {
            for (LocalFileHeader h; (h = in.getNextEntry()) != null; ) {
                out.add(new String[] {h.getFileName(), new String(in.readAllBytes(), StandardCharsets.UTF_8)});
            }
        }
        return out;
    }

    private byte[] zip(String name) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "content");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EvidenceZip.write(file, name, 0, out);
        return out.toByteArray();
    }

    @Test
    void write_aSafeName_isTheOnlyEntry_asItIs_leadingSpaceAndUnicodeKept() throws Exception {
        List<String[]> e = entries(zip(" Résumé 履歴.pdf"));
        assertEquals(1, e.size());
        assertEquals(" Résumé 履歴.pdf", e.getFirst()[0], "regression: the leading space was stripped");
        assertEquals("content", e.getFirst()[1]);
    }

    @Test
    void write_aNameWithASeparatorOrControlCharacter_addsANoteGivingTheOriginal() throws Exception {
        String original = "a\\b\nc.txt";
        List<String[]> e = entries(zip(original));
        assertEquals(2, e.size());
        assertEquals("a_b_c.txt", e.get(0)[0]);
        assertEquals("a_b_c.txt.name.txt", e.get(1)[0]);
        assertTrue(e.get(1)[1].contains("\n" + original + "\n"), e.get(1)[1]);
        assertTrue(e.get(1)[1].contains("a\\u005cb\\u000ac.txt"), e.get(1)[1]);
    }

    @Test
    void write_aNameThatWasNotUtf8_entryEscaped_noteGivesItsBytes() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "content");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EvidenceZip.write(file, "bad\\xFF.bin", new byte[] {'b', 'a', 'd', (byte) 0xff, '.', 'b', 'i', 'n'}, 0, out);
        List<String[]> e = entries(out.toByteArray());
        assertEquals(List.of("bad_xFF.bin", "bad_xFF.bin.name.txt"), e.stream().map(x -> x[0]).toList());
        assertEquals("content", e.get(0)[1]);
        assertTrue(e.get(1)[1].contains("\nbad\\xFF.bin\n"), e.get(1)[1]);
        assertTrue(e.get(1)[1].contains("62 61 64 ff 2e 62 69 6e"), "the original bytes: " + e.get(1)[1]);
    }

    @Test
    void entryName_neverAFolderOrEmpty() {
        assertEquals("_etc_passwd", EvidenceZip.entryName("/etc/passwd"));
        assertEquals("file", EvidenceZip.entryName(".."));
        assertEquals("file", EvidenceZip.entryName("   "));
        assertEquals("x_y", EvidenceZip.entryName("x\u2028y"));
    }

    /** Regression (#16): a download named "invoice\u202etxt.exe" displayed as "invoiceexe.txt" in the browser. */
    @Test
    void entryNameAndDownloadName_dropBidiAndOtherFormatCharacters() {
        assertEquals("invoicetxt.exe", EvidenceZip.entryName("invoice\u202etxt.exe"));
        assertEquals("ab.txt", EvidenceZip.entryName("a\u200b\u2066b\u2069.txt"));
        String header = EvidenceZip.contentDisposition(EvidenceZip.entryName("invoice\u202etxt.exe") + ".zip");
        assertFalse(header.contains("%E2%80%AE"), header);
    }

    @Test
    void contentDisposition_filenameStarInUtf8_andAnAsciiFallback() {
        String header = EvidenceZip.contentDisposition(" Résumé \"1\".zip");
        assertEquals("attachment; filename=\" R_sum_ _1_.zip\"; filename*=UTF-8''%20R%C3%A9sum%C3%A9%20%221%22.zip", header);
        assertFalse(header.chars().anyMatch(c -> c > 0x7e || c < 0x20), "ASCII only");
    }
}
