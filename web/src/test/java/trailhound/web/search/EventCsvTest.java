package trailhound.web.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import trailhound.schema.Event;
import trailhound.schema.Field;

class EventCsvTest {
    @Test
    void formulaCellsGetAQuote_numbersAndTextStayAsTheyAre() {
        assertEquals("'=1+1", EventCsv.cell("=1+1"));
        assertEquals("'+cmd|' /C calc'!A0", EventCsv.cell("+cmd|' /C calc'!A0"));
        assertEquals("'-2+3", EventCsv.cell("-2+3"));
        assertEquals("'@SUM(A1)", EventCsv.cell("@SUM(A1)"));
        assertEquals("'\t=1", EventCsv.cell("\t=1"));
        assertEquals("-1", EventCsv.cell("-1"));
        assertEquals("+3.5", EventCsv.cell("+3.5"));
        assertEquals("C:\\a=b.exe", EventCsv.cell("C:\\a=b.exe"));
        assertEquals("", EventCsv.cell(null));
    }

    @Test
    void rfc4180_headerOfCanonicalNames_quotedValuesReadBackExactly() throws Exception {
        String awkward = "a,\"b\"\r\nc";
        Event e = Event.builder().set(Field.EVENT_UID, "u1").ts(0).set(Field.TYPE, "file").set(Field.COMMAND_LINE, awkward).build();
        StringWriter out = new StringWriter();
        EventCsv csv = new EventCsv(out);
        csv.write(e);
        csv.flush();
        List<CSVRecord> rows = CSVFormat.RFC4180.parse(new StringReader(out.toString())).getRecords();
        assertEquals(2, rows.size());
        assertEquals(Field.all().stream().map(Field::canonicalName).toList(), rows.get(0).toList());
        assertEquals(awkward, rows.get(1).get(Field.all().indexOf(Field.COMMAND_LINE)));
        assertEquals("1970-01-01T00:00:00.000Z", rows.get(1).get(Field.all().indexOf(Field.TS)));
    }
}
