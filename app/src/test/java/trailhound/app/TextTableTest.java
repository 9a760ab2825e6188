package trailhound.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TextTableTest {
    private static String print(TextTable t) {
        StringWriter s = new StringWriter();
        try (PrintWriter out = new PrintWriter(s)) {
            t.print(out);
        }
        return s.toString().replace(System.lineSeparator(), "\n");
    }

    @Test
    void print_widthsFromValues_cappedWithEllipsis_lastColumnWhole() {
        TextTable t = new TextTable().right("N", 5).left("NAME", 6).left("NOTE", 0);
        t.row(7, "ab", "short");
        t.row(123, "abcdefghij", "a note longer than any cap");
        t.row(1, null, "");
        assertEquals("""
                  N  NAME    NOTE
                  7  ab      short
                123  abcde…  a note longer than any cap
                  1  -       -
                """, print(t));
    }

    @Test
    void print_controlCharactersShownNotActing_surrogatePairsNeverHalved() {
        TextTable t = new TextTable().left("A", 4).left("B", 0);
        t.row("x\u001b[31m", "\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00");
        t.row("ab\uD83D\uDE00x", "\n");
        assertEquals("""
                A     B
                x\\x…  \uD83D\uDE00\uD83D\uDE00\uD83D\uDE00
                ab…   \\x0a
                """, print(t));
    }

    @Test
    void count_oneAndMany() {
        assertEquals("1 entry", Text.count(1, "entry", "entries"));
        assertEquals("0 entries", Text.count(0, "entry", "entries"));
        assertEquals(String.format("%,d endpoints", 1024), Text.count(1024, "endpoint", "endpoints"));
    }
}
