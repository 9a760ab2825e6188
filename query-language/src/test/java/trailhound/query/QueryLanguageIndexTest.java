package trailhound.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import trailhound.schema.Field;
import trailhound.schema.FieldKind;
import trailhound.query.IndexFields;

/**
 * End to end on a real (in-memory) Lucene index written by IndexFields' contract: the queries the
 * language builds find the intended events. Pattern queries are resolved by the index module and
 * are covered there.
 */
class QueryLanguageIndexTest {
    static Directory directory;
    static DirectoryReader reader;
    static IndexSearcher searcher;

    @BeforeAll
    static void index() throws IOException {
        directory = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            writer.addDocument(doc(Map.of(Field.TYPE, "process", Field.TS, "2020-10-19T07:00:30Z", Field.PID, "4",
                    Field.PROCESS_NAME, "CMD.exe", Field.USER, "SYSTEM")));
            writer.addDocument(doc(Map.of(Field.TYPE, "network", Field.TS, "2020-10-19T07:30:00Z", Field.PID, "100",
                    Field.USER, "bob", Field.REMOTE_IP, "10.1.2.3", Field.REMOTE_PORT, "443",
                    Field.LOCAL_IP, "192.168.1.5", Field.LOCAL_PORT, "50000")));
            writer.addDocument(doc(Map.of(Field.TYPE, "network", Field.TS, "2020-10-18T23:59:59.999Z", Field.USER, "alice",
                    Field.REMOTE_IP, "8.8.8.8", Field.REMOTE_PORT, "53", Field.LOCAL_IP, "fe80::1")));
            writer.addDocument(doc(Map.of(Field.TYPE, "file", Field.TS, "2020-10-19T09:00:00Z", Field.PID, "2000",
                    Field.USER, "Bob", Field.FILE_PATH, "C:\\Temp\\a.ps1")));
        }
        reader = DirectoryReader.open(directory);
        searcher = new IndexSearcher(reader);
    }

    @AfterAll
    static void close() throws IOException {
        reader.close();
        directory.close();
    }

    /** Indexes like the index module: lower-cased term for every field, points for numbers, times and IPs. */
    static Document doc(Map<Field, String> values) throws IOException {
        Document doc = new Document();
        for (Map.Entry<Field, String> e : values.entrySet()) {
            Field f = e.getKey();
            String value = e.getValue();
            if (f.kind() == FieldKind.TIME) {
                value = Long.toString(Instant.parse(value).toEpochMilli());
            }
            doc.add(new StringField(IndexFields.term(f), IndexFields.normalize(value), org.apache.lucene.document.Field.Store.NO));
            switch (f.kind()) {
                case NUMBER, TIME -> doc.add(new LongPoint(IndexFields.point(f), Long.parseLong(value)));
                case IP -> doc.add(new InetAddressPoint(IndexFields.point(f), InetAddress.getByName(value)));
                default -> { }
            }
        }
        return doc;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            type:network                                   | 2
            user:system                                    | 1
            USER:SyStEm                                    | 1
            user:bob                                       | 2
            user:b*                                        | 2
            process_name:cmd.exe                           | 1
            file_path:"c:\\\\temp\\\\a.ps1"                | 1
            file_path:c:\\\\temp*                          | 1
            remote_ip:10.0.0.0/8                           | 1
            remote_ip:10.1.2.3                             | 1
            remote_ip:[10.1.2.0 TO 10.1.2.255]             | 1
            remote_ip:{10.1.2.3 TO *]                      | 0
            ip:192.168.0.0/16                              | 1
            ip:fe80::/10                                   | 1
            ip:10.*                                        | 1
            remote_port:[1 TO 1023]                        | 2
            remote_port:{53 TO 443}                        | 0
            port:>1023                                     | 1
            port:<=53                                      | 1
            pid:[100 TO *]                                 | 2
            pid:4                                          | 1
            NOT user:bob                                   | 2
            -type:network                                  | 2
            type:network AND NOT remote_port:53            | 1
            type:file OR pid:4                             | 2
            type:process OR type:file AND user:bob         | 2
            (type:process OR type:file) AND user:bob       | 1
            user:*                                         | 4
            NOT remote_ip:*                                | 2
            ts:2020-10-19                                  | 3
            ts:2020-10-18                                  | 1
            ts:2020-10-18T23:59:59.999Z                    | 1
            ts:[2020-10-19T07:00 TO now]                   | 2
            ts:>now-1h                                     | 3
            ts:{2020-10-19T07:00 TO *]                     | 2
            ts:<2020-10-19                                 | 1
            ts:[* TO 2020-10-19T07:00]                     | 2
            '*:*'                                          | 4
            ''                                             | 4
            """)
    void query_onIndex_hitCount(String text, int hits) throws IOException {
        assertEquals(hits, searcher.count(QueryLanguageTest.QL.query(text == null ? "" : text)), text);
    }
}
