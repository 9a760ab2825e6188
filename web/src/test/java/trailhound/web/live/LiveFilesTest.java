package trailhound.web.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import trailhound.protocol.PathBytes;

class LiveFilesTest {
    @Test
    void parentOf_theHoldingFolder_onLinuxAndWindows() {
        assertEquals("/usr/bin", LiveFiles.parentOf("/usr/bin/sleep"));
        assertEquals("/", LiveFiles.parentOf("/sleep"));
        assertEquals("/usr", LiveFiles.parentOf("/usr/bin/"));
        assertEquals("C:\\Windows", LiveFiles.parentOf("C:\\Windows\\notepad.exe"));
        assertEquals("C:\\", LiveFiles.parentOf("C:\\notepad.exe"));
        assertEquals("notepad.exe", LiveFiles.parentOf("notepad.exe"), "no folder in it: itself, which the agent refuses as not absolute");
    }

    @Test
    void crumbs_everyStepFromTheRoot_onLinuxAndWindows() {
        assertEquals(List.of(new LiveFiles.Crumb("/", "/"), new LiveFiles.Crumb("var", "/var"), new LiveFiles.Crumb("log", "/var/log")),
                LiveFiles.crumbs("/var/log"));
        assertEquals(List.of(new LiveFiles.Crumb("/", "/")), LiveFiles.crumbs("/"));
        assertEquals(List.of(new LiveFiles.Crumb("C:\\", "C:\\"), new LiveFiles.Crumb("Users", "C:\\Users"),
                new LiveFiles.Crumb("ana", "C:\\Users\\ana")), LiveFiles.crumbs("C:\\Users\\ana"));
    }

    @Test
    void child_inTheEndpointsOwnSyntax() {
        assertEquals("/x", LiveFiles.child("/", "x"));
        assertEquals("/var/x", LiveFiles.child("/var", "x"));
        assertEquals("C:\\x", LiveFiles.child("C:\\", "x"));
        assertEquals("C:\\Users\\x", LiveFiles.child("C:\\Users", "x"));
    }

    @Test
    void shown_controlCharactersAsTheirSymbols_soANameCannotBreakALine() {
        assertEquals("a\u240ab\u240dc\u2409d", LiveFiles.shownPath("a\nb\rc\td"));
        assertEquals("plain é.txt", LiveFiles.shownPath("plain é.txt"));
        assertTrue(LiveFiles.unusual("a\nb"));
        assertTrue(LiveFiles.unusual("bad\ufffdbyte"), "bytes that were not UTF-8");
        assertFalse(LiveFiles.unusual("in side\\back é"), "spaces inside a name are usual");
    }

    /** Regression (#16): a bidi override displayed "txt.exe" reversed, and edge spaces made two names look alike. */
    @Test
    void shownText_spacesNextToSlashesAreOrdinary_onlyTheWholeTextsEdgeSpacesShow() {
        assertEquals("ran cmd /c whoami then net /domain", LiveFiles.shownText("ran cmd /c whoami then net /domain"));
        assertEquals("cmd.exe /c \\\\host\\c$ /s", LiveFiles.shownText("cmd.exe /c \\\\host\\c$ /s"));
        assertFalse(LiveFiles.unusualText("cmd.exe /c dir"));
        assertEquals("\u2420a / b\u2420", LiveFiles.shownText(" a / b "));
        assertEquals("a<U+202E>b\u240ac", LiveFiles.shownText("a\u202eb\nc"));
        assertTrue(LiveFiles.unusualText("a\u202eb"));
        assertEquals(java.util.List.of("\u2420first /x", " mid / ", "last\u2420"), LiveFiles.shownTextLines(" first /x\n mid / \r\nlast "));
        assertFalse(LiveFiles.unusualTextLines("ran cmd /c whoami\nthen net /domain"));
        assertTrue(LiveFiles.unusualTextLines("ok\nlast "));
        assertEquals("cmd\u2420/c", LiveFiles.shownPath("cmd /c"), "a path's part still ends at a separator");
    }

    @Test
    void shown_formatCharactersAndEdgeSpacesVisible_andTheNameUnusual() {
        assertEquals("invoice<U+202E>txt.exe", LiveFiles.shownPath("invoice\u202etxt.exe"));
        assertEquals("a<U+200B>b<U+2066>c<U+2069><U+202A>", LiveFiles.shownPath("a\u200bb\u2066c\u2069\u202a"));
        assertEquals("dup\u2420", LiveFiles.shownPath("dup "));
        assertEquals("\u2420lead.txt", LiveFiles.shownPath(" lead.txt"));
        assertEquals("/tmp/\u2420\u2420lead.txt/dup\u2420/in side", LiveFiles.shownPath("/tmp/  lead.txt/dup /in side"));
        assertEquals("\u2420", LiveFiles.shownPath(" "));
        // third try-out: "nbsp" and "nbsp" + U+00A0 looked alike, as did names with other blank characters
        assertEquals("nbsp<U+00A0>", LiveFiles.shownPath("nbsp\u00a0"));
        assertEquals("a<U+3000>b<U+3164>c<U+2800>d<U+034F>", LiveFiles.shownPath("a\u3000b\u3164c\u2800d\u034f"));
        assertTrue(LiveFiles.unusual("nbsp\u00a0"));
        for (String name : List.of("invoice\u202etxt.exe", "zero\u200bwidth", "dup ", " lead.txt", "\ufeffbom")) {
            assertTrue(LiveFiles.unusual(name), name);
        }
        assertFalse(LiveFiles.unusual("dup"));
    }

    @Test
    void carried_isBase64urlOfTheUtf8_noCharacterAFormWouldChange() {
        String path = "/tmp/line\nbreak\r\n é";
        String carried = LiveFiles.carried(path);
        assertTrue(carried.matches("[A-Za-z0-9_-]+"), carried);
        assertEquals(path, new String(java.util.Base64.getUrlDecoder().decode(carried), java.nio.charset.StandardCharsets.UTF_8));
    }

    private static final byte[] BAD_FOLDER = {'/', 't', '/', 's', 'u', 'b', (byte) 0xfe};

    @Test
    void pathsThatAreNotUtf8_cutAndJoinedOnTheirBytes_carriedExactly_shownWithAMarkerPerByte() {
        byte[] name = {'b', 'a', 'd', (byte) 0xff, '.', 'b', 'i', 'n'};
        byte[] whole = LiveFiles.child(BAD_FOLDER, name);
        assertArrayEquals(new byte[] {'/', 't', '/', 's', 'u', 'b', (byte) 0xfe, '/', 'b', 'a', 'd', (byte) 0xff, '.', 'b', 'i', 'n'}, whole);
        assertArrayEquals(BAD_FOLDER, LiveFiles.parentOf(whole));
        assertArrayEquals(whole, java.util.Base64.getUrlDecoder().decode(LiveFiles.carried(whole)), "a form carries every byte");
        assertEquals("path64=" + LiveFiles.carried(whole), LiveFiles.pathQuery(whole));
        assertEquals("path=%2Ft%2Fok.txt", LiveFiles.pathQuery("/t/ok.txt".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "a UTF-8 path keeps its readable link");
        List<LiveFiles.Crumb> crumbs = LiveFiles.crumbs(BAD_FOLDER);
        assertEquals(List.of("/", "t", "sub\\xFE"), crumbs.stream().map(LiveFiles.Crumb::name).toList());
        assertArrayEquals(BAD_FOLDER, java.util.Base64.getUrlDecoder().decode(crumbs.get(2).carried()));
        assertEquals(List.of(new PathBytes.Part("line\u240a", false), new PathBytes.Part("\\xFF", true), new PathBytes.Part(".bin", false)),
                LiveFiles.parts(new byte[] {'l', 'i', 'n', 'e', '\n', (byte) 0xff, '.', 'b', 'i', 'n'}));
    }
}
