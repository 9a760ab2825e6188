package trailhound.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import trailhound.schema.Event;
import trailhound.schema.Field;

class ValueInternerTest {

    /** A String equal to the text but never the same instance (as a parser makes one per value). */
    private static String fresh(String text) {
        return new String(text.toCharArray());
    }

    private static Event.Builder event(String uid, String commandLine) {
        return Event.builder().set(Field.EVENT_UID, fresh(uid)).ts(1_700_000_000_000L)
                .set(Field.TYPE, fresh("process")).set(Field.OPERATION, fresh("start"))
                .set(Field.COMMAND_LINE, commandLine);
    }

    @Test
    void internValues_equalValuesOfTwoEvents_shareOneInstance() {
        Event first = ValueInterner.internValues(event("a1", fresh("powershell.exe -nop -enc AAAA"))).build();
        Event second = ValueInterner.internValues(event("a2", fresh("powershell.exe -nop -enc AAAA"))).build();

        assertSame(first.get(Field.COMMAND_LINE), second.get(Field.COMMAND_LINE));
        assertSame(first.get(Field.TYPE), second.get(Field.TYPE));
        assertSame(first.get(Field.OPERATION), second.get(Field.OPERATION));
        assertEquals("a2", second.uid());
        assertEquals("powershell.exe -nop -enc AAAA", second.get(Field.COMMAND_LINE));
    }

    @Test
    void internValues_differentValues_keepTheirOwn() {
        Event first = ValueInterner.internValues(event("b1", fresh("cmd.exe /c dir"))).build();
        Event second = ValueInterner.internValues(event("b2", fresh("cmd.exe /c del x"))).build();

        assertEquals("cmd.exe /c dir", first.get(Field.COMMAND_LINE));
        assertEquals("cmd.exe /c del x", second.get(Field.COMMAND_LINE));
    }

    @Test
    void internValues_overlongValue_isNotKept() {
        String text = "x".repeat(ValueInterner.MAX_LENGTH + 1);
        Event first = ValueInterner.internValues(event("c1", fresh(text))).build();
        Event second = ValueInterner.internValues(event("c2", fresh(text))).build();

        assertNotSame(first.get(Field.COMMAND_LINE), second.get(Field.COMMAND_LINE));
        assertEquals(text, second.get(Field.COMMAND_LINE));
    }
}
