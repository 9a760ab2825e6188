package trailhound.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import trailhound.query.QueryLanguage;
import trailhound.schema.Field;

class QuerySuiteTest {
    /** The free-text row's SQL must ask the same 17 fields the query language's bare word does. */
    @Test
    void freeTextColumns_areTheQueryLanguagesFreeTextFields() {
        Set<String> named = new LinkedHashSet<>();
        for (String column : QuerySuite.FREE_TEXT_COLUMNS) named.add(canonicalNameOf(column));
        Set<String> expected = new LinkedHashSet<>();
        for (Field f : QueryLanguage.freeTextFields()) expected.add(f.canonicalName());

        assertEquals(expected, named);
        assertEquals(17, QuerySuite.FREE_TEXT_COLUMNS.size());
    }

    /** The name SnapshotSql's row reading gives the column ("p.path AS process_path", or "e.file_path" as itself). */
    private static String canonicalNameOf(String column) {
        Matcher aliased = Pattern.compile(Pattern.quote(column) + " AS (\\w+)").matcher(SnapshotSql.EVENT_COLUMNS);
        if (aliased.find()) return aliased.group(1);
        return column.substring(column.indexOf('.') + 1);
    }
}
