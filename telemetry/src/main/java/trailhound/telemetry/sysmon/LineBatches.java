package trailhound.telemetry.sysmon;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Spreads the lines of a stream over threads: the calling thread only cuts the stream into batches
 * of whole lines (copied out of the read buffer, about {@value #BATCH_BYTES} bytes each, each
 * knowing its first line number), and worker threads hand each batch to the handler. With one
 * thread there are no workers: each batch is handled on the calling thread as soon as it is cut.
 *
 * <p>Batches wait in a small bounded queue, so memory stays a few MB whatever the stream's size.
 * The first failure of the handler stops the reading and is rethrown; an {@link IOException} of the
 * stream (a truncated archive) is rethrown only after every batch cut before it was handled, so
 * what was read is kept.
 */
final class LineBatches {
    /* Well under half a G1 region: a bigger array is a "humongous" allocation, costly to collect. */
    static final int BATCH_BYTES = 256 << 10;
    private static final Batch END = new Batch(0, new byte[0], new int[0], 0, new java.util.BitSet());

    /**
     * Consecutive lines of the stream, {@code \n} or {@code \r\n} removed: line {@code i} (0-based,
     * line number {@code firstLine + i}) is {@code bytes[start(i), end(i))}. Blank lines included; a line
     * longer than ByteLines.MAX_LINE_BYTES is empty and set in {@code oversized}.
     */
    record Batch(long firstLine, byte[] bytes, int[] ends, int count, java.util.BitSet oversized) {
        int start(int i) {
            return i == 0 ? 0 : ends[i - 1];
        }

        int end(int i) {
            return ends[i];
        }

        boolean isBlank(int i) {
            if (oversized.get(i)) return false;
            for (int j = start(i); j < ends[i]; j++) {
                byte b = bytes[j];
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }
    }

    private LineBatches() {
    }

    /**
     * Cuts {@code in} into batches and hands each to {@code handler}, on {@code threads} worker
     * threads (the handler must then be thread-safe) or, for {@code threads <= 1}, on this thread.
     * Returns when every batch was handled.
     *
     * @throws IOException from the stream, after the batches read before it were handled
     */
    static void forEach(InputStream in, int threads, Consumer<Batch> handler) throws IOException {
        forEach(in, threads, BATCH_BYTES, handler);
    }

    /** {@link #forEach(InputStream, int, Consumer)} with batches of about {@code batchBytes} (tests cut small ones). */
    static void forEach(InputStream in, int threads, int batchBytes, Consumer<Batch> handler) throws IOException {
        if (threads <= 1) {
            cut(in, batchBytes, handler);
            return;
        }
        BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(threads * 2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            workers.add(Thread.ofPlatform().name("json-lines-" + i).daemon().start(() -> work(queue, handler, failure)));
        }
        IOException readFailure = null;
        try {
            cut(in, batchBytes, batch -> put(queue, batch, failure));
        } catch (IOException e) {
            readFailure = e;
        } catch (StopReading e) {
            // a worker failed: rethrown below
        } finally {
            for (int i = 0; i < threads; i++) {
                put(queue, END, null);
            }
            for (Thread worker : workers) {
                join(worker);
            }
        }
        Throwable t = failure.get();
        if (t != null) {
            if (readFailure != null) {
                t.addSuppressed(readFailure);
            }
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error error) throw error;
            throw new IllegalStateException(t);
        }
        if (readFailure != null) {
            throw readFailure;
        }
    }

    private static void work(BlockingQueue<Batch> queue, Consumer<Batch> handler, AtomicReference<Throwable> failure) {
        while (true) {
            Batch batch;
            try {
                batch = queue.take();
            } catch (InterruptedException e) {
                failure.compareAndSet(null, e);
                return;
            }
            if (batch == END) {
                return;
            }
            if (failure.get() != null) {
                continue; // drain: the reader stops at its next put
            }
            try {
                handler.accept(batch);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }
    }

    /** Queues the batch; stops the reading (throws) once a worker failed, unless {@code failure} is null. */
    private static void put(BlockingQueue<Batch> queue, Batch batch, AtomicReference<Throwable> failure) {
        try {
            while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                if (failure != null && failure.get() != null) {
                    throw new StopReading();
                }
            }
            if (failure != null && failure.get() != null) {
                throw new StopReading();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading lines", e);
        }
    }

    private static void join(Thread worker) {
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading lines", e);
        }
    }

    /** Thrown to the reading loop when a worker failed; forEach then rethrows the worker's failure. */
    private static final class StopReading extends RuntimeException {
        StopReading() {
            super(null, null, false, false);
        }
    }

    /**
     * Cuts the stream into batches of whole lines; a final line without {@code \n} is a line too.
     * On an I/O error (a truncated archive) the whole lines read before it are still handed out.
     */
    private static void cut(InputStream in, int batchBytes, Consumer<Batch> out) throws IOException {
        ByteLines lines = new ByteLines(in);
        byte[] bytes = new byte[batchBytes];
        int[] ends = new int[1024];
        java.util.BitSet oversized = new java.util.BitSet();
        int count = 0;
        int size = 0;
        long firstLine = 1;
        IOException readFailure = null;
        try {
            while (true) {
                if (count == 0) {
                    lines.skipEmptyLines();
                }
                if (!lines.next()) {
                    break;
                }
                int length = lines.length();
                if (count > 0 && (size + length > bytes.length || count == ends.length)) {
                    out.accept(new Batch(firstLine, bytes, ends, count, oversized));
                    bytes = new byte[Math.max(batchBytes, length)];
                    ends = new int[ends.length];
                    oversized = new java.util.BitSet();
                    count = 0;
                    size = 0;
                } else if (size + length > bytes.length) {
                    bytes = Arrays.copyOf(bytes, length); // a first line longer than a batch
                }
                if (count == 0 && length == 0 && !lines.oversized()) {
                    continue; // empty lines starting a batch are not kept: a run of millions costs no batches
                }
                if (count == 0) {
                    firstLine = lines.number();
                }
                System.arraycopy(lines.buffer(), lines.start(), bytes, size, length);
                size += length;
                if (lines.oversized()) oversized.set(count);
                ends[count++] = size;
            }
        } catch (IOException e) {
            readFailure = e;
        }
        if (count > 0) {
            out.accept(new Batch(firstLine, bytes, ends, count, oversized));
        }
        if (readFailure != null) {
            throw readFailure;
        }
    }
}
