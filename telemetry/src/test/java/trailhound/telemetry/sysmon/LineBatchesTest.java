package trailhound.telemetry.sysmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class LineBatchesTest {
    private static final String TEXT = "first\r\n\nthird line\n" + "x".repeat(100) + "\n  \nlast without newline";
    private static final List<String> LINES = List.of("first", "", "third line", "x".repeat(100), "  ", "last without newline");

    @Test
    void forEach_smallBatches_everyLineOnceWithItsNumber() throws IOException {
        for (int threads : new int[] {1, 3}) {
            Map<Long, String> lines = collect(new ByteArrayInputStream(TEXT.getBytes(StandardCharsets.UTF_8)), threads, 16);
            assertEquals(LINES.size(), lines.size());
            for (int i = 0; i < LINES.size(); i++) {
                assertEquals(LINES.get(i), lines.get(i + 1L), "line " + (i + 1) + " with " + threads + " threads");
            }
        }
    }

    @Test
    void forEach_batchBoundaries_lineNumbersContinueAcrossBatches() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 5000; i++) {
            text.append("line ").append(i).append('\n');
        }
        List<Integer> batchSizes = new ArrayList<>();
        Map<Long, String> lines = new ConcurrentHashMap<>();
        LineBatches.forEach(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)), 2, 1000, batch -> {
            synchronized (batchSizes) {
                batchSizes.add(batch.count());
            }
            for (int i = 0; i < batch.count(); i++) {
                lines.put(batch.firstLine() + i, new String(batch.bytes(), batch.start(i), batch.end(i) - batch.start(i),
                        StandardCharsets.UTF_8));
            }
        });
        assertTrue(batchSizes.size() > 10, "cut into " + batchSizes.size() + " batches");
        assertEquals(5000, lines.size());
        for (long n = 1; n <= 5000; n++) {
            assertEquals("line " + n, lines.get(n));
        }
    }

    @Test
    void forEach_streamFailsMidway_wholeLinesBeforeItHandledThenRethrown() {
        byte[] head = "one\ntwo\nthree\nfour\nfi".getBytes(StandardCharsets.UTF_8);
        IOException truncated = new IOException("unexpected end of ZLIB input stream");
        for (int threads : new int[] {1, 2}) {
            InputStream failing = new java.io.SequenceInputStream(new ByteArrayInputStream(head), new InputStream() {
                @Override
                public int read() throws IOException {
                    throw truncated;
                }
            });
            Map<Long, String> kept = new ConcurrentHashMap<>();
            IOException thrown = assertThrows(IOException.class, () -> collect(failing, threads, 8, kept));
            assertSame(truncated, thrown);
            assertEquals(Map.of(1L, "one", 2L, "two", 3L, "three", 4L, "four"), new TreeMap<>(kept),
                    threads + " threads: the partial last line is dropped, the whole ones kept");
        }
    }

    @Test
    void forEach_handlerFails_readingStopsAndTheFailureIsRethrown() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            text.append("line ").append(i).append('\n');
        }
        ByteArrayInputStream stream = new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 64));
            }
        };
        IllegalStateException boom = new IllegalStateException("index is full");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> LineBatches.forEach(stream, 2, 256, batch -> {
                    throw boom;
                }));
        assertSame(boom, thrown);
        assertTrue(stream.available() > 0, "stopped before the end of the stream");
    }

    private static Map<Long, String> collect(InputStream in, int threads, int batchBytes) throws IOException {
        return collect(in, threads, batchBytes, new ConcurrentHashMap<>());
    }

    private static Map<Long, String> collect(InputStream in, int threads, int batchBytes, Map<Long, String> lines)
            throws IOException {
        LineBatches.forEach(in, threads, batchBytes, batch -> {
            for (int i = 0; i < batch.count(); i++) {
                String line = new String(batch.bytes(), batch.start(i), batch.end(i) - batch.start(i), StandardCharsets.UTF_8);
                assertEquals(line.isBlank(), batch.isBlank(i));
                lines.put(batch.firstLine() + i, line);
            }
        });
        return lines;
    }
}
