package trailhound.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EvidenceNamesTest {
    @Test
    void lastPart_ofAPosixPath_keepsBackslashesAndSpaces() {
        // regression: " lead\back.txt" on Linux was kept as "back.txt"
        assertEquals(" lead\\back.txt", Evidence.lastPart("/tmp/odd/ lead\\back.txt"));
        assertEquals("dir", Evidence.lastPart("/tmp/dir/"));
    }

    @Test
    void lastPart_ofAWindowsPath_cutsAtEitherSeparator() {
        assertEquals("notepad.exe", Evidence.lastPart("C:\\Windows\\notepad.exe"));
        assertEquals("x.txt", Evidence.lastPart("C:/Users/x.txt"));
    }
}
