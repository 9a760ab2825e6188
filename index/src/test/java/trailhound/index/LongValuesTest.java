package trailhound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trailhound.index.TestEvents.T0;
import static trailhound.index.TestEvents.event;
import static trailhound.index.TestEvents.term;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.query.IndexFields;
import trailhound.query.QueryLanguage;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * Values over Lucene's 32,766-byte term limit (a Spark classpath of 34,065 chars; 22,430 Cyrillic
 * chars = 34,750 UTF-8 bytes, as in the real-world cases): kept whole, shown whole, found by equals,
 * contains and starts-with, and never confused with a short value.
 */
class LongValuesTest {
    @TempDir
    Path dir;

    private static String classpath() {
        StringBuilder b = new StringBuilder("java -cp ");
        for (int i = 0; b.length() < 34_000; i++) b.append("/opt/spark/jars/lib-").append(i).append(".jar:");
        return b.append(" org.apache.spark.deploy.SparkSubmit").toString();
    }

    private static String cyrillic() {
        StringBuilder b = new StringBuilder("cmd.exe /c echo ");
        while (b.length() < IndexFields.MAX_TERM_CHARS - 1) b.append('Ж');
        b.append("\uD83D\uDE00"); // a surrogate pair across the cut
        while (b.length() < 22_430) b.append("Привет");
        return b.append(" конец").toString();
    }

    @Test
    void longValues_keptShownAndFoundByEqualsContainsAndStartsWith() throws IOException {
        String longCmd = classpath();
        String longCyr = cyrillic();
        String longPath = "C:\\" + "very\\".repeat(8_000) + "deep.txt";
        try (EndpointIndex index = EndpointIndex.open(dir)) {
            index.add(event("e1", T0, "process", "start", "p1").set(Field.COMMAND_LINE, longCmd)
                    .set(Field.PROCESS_PATH, "/usr/bin/java").build());
            index.add(event("e2", T0 + 1, "process", "start", "p2").set(Field.COMMAND_LINE, longCyr)
                    .set(Field.PROCESS_PATH, "C:\\Windows\\System32\\cmd.exe").build());
            index.add(event("e3", T0 + 2, "file", "create", "p2").set(Field.FILE_PATH, longPath).build());
            index.add(event("e4", T0 + 3, "process", "start", "p3").set(Field.COMMAND_LINE, "java -cp short").build());
            index.commit();

            assertEquals(1, index.count(term(Field.COMMAND_LINE, longCmd)), "equals");
            assertEquals(1, index.count(term(Field.COMMAND_LINE, longCyr.toUpperCase())), "equals, any case");
            assertEquals(1, index.count(term(Field.FILE_PATH, longPath)));
            assertEquals(0, index.count(term(Field.COMMAND_LINE, longCmd + "x")), "a longer value is another value");
            assertEquals(0, index.count(term(Field.COMMAND_LINE, longCmd.substring(0, IndexFields.MAX_TERM_CHARS + 10))),
                    "a value sharing the first chars is another value");

            assertEquals(1, index.count(QueryLanguage.parse("command_line:*lib-1100.jar*")), "contains, far past the cut");
            assertEquals(1, index.count(QueryLanguage.parse("command_line:*SparkSubmit*")));
            assertEquals(1, index.count(QueryLanguage.parse("command_line:*привет\\ конец*")));
            assertEquals(1, index.count(QueryLanguage.parse("file_path:*deep.txt*")));
            assertEquals(2, index.count(QueryLanguage.parse("command_line:java\\ -cp*")), "starts-with: long and short");
            assertEquals(1, index.count(QueryLanguage.parse("command_line:cmd.exe*")));

            Event shown = index.search(term(Field.EVENT_UID, "e2"), 1, null).events().getFirst();
            assertEquals(longCyr, shown.get(Field.COMMAND_LINE), "displayed whole");
            assertEquals(longPath, index.search(term(Field.EVENT_UID, "e3"), 1, null).events().getFirst().get(Field.FILE_PATH));
        }
        try (EndpointIndex reopened = EndpointIndex.open(dir)) { // the dictionary's known values load back from terms
            reopened.add(event("e5", T0 + 4, "process", "start", "p5").set(Field.COMMAND_LINE, longCmd).build());
            reopened.commit();
            assertEquals(2, reopened.count(term(Field.COMMAND_LINE, longCmd)));
            assertEquals(2, reopened.count(QueryLanguage.parse("command_line:*lib-1100.jar*")));
        }
    }

    @Test
    void termOf_shortValuesUnchanged_longValuesCutWithTheirHash() {
        assertEquals("abc", IndexFields.termOf("abc"));
        String exact = "a".repeat(IndexFields.MAX_TERM_CHARS);
        assertEquals(exact, IndexFields.termOf(exact));
        String term = IndexFields.termOf(exact + "b");
        assertTrue(term.startsWith(exact + '\u0000'), "prefix, NUL, hash");
        assertEquals(IndexFields.MAX_TERM_CHARS + 1 + 64, term.length());
        assertTrue(IndexFields.termOf(term).length() == term.length() && !IndexFields.termOf(term).equals(term),
                "a value crafted to look like a long value's term is itself hashed: it cannot equal one");
    }
}
