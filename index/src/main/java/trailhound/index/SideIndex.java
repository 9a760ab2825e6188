package trailhound.index;

import java.io.Closeable;
import java.io.IOException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;

/**
 * A small Lucene index kept beside an endpoint's events (the value dictionary, the process
 * variants). The writer opens on the first write only, so read-only opens (hunting across many
 * endpoints) cost one reader; until then searches see the last commit. Thread-safe.
 */
final class SideIndex implements Closeable {
    /** Runs once when the writer opens, on a reader of what is already there (to load what is known). */
    interface OnWriterOpen {
        void load(DirectoryReader existing) throws IOException;
    }

    interface SearchFunction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    private final Directory dir;
    private final OnWriterOpen onWriterOpen;
    private volatile IndexWriter writer;
    private volatile SearcherManager manager;

    SideIndex(Directory dir, OnWriterOpen onWriterOpen) {
        this.dir = dir;
        this.onWriterOpen = onWriterOpen;
    }

    IndexWriter writer() throws IOException {
        IndexWriter w = writer;
        return w != null ? w : openWriter();
    }

    private synchronized IndexWriter openWriter() throws IOException {
        if (writer != null) return writer;
        IndexWriter w = new IndexWriter(dir, new IndexWriterConfig().setRAMBufferSizeMB(32).setCommitOnClose(false));
        try (DirectoryReader existing = DirectoryReader.open(w)) {
            onWriterOpen.load(existing);
        }
        SearcherManager old = manager;
        manager = new SearcherManager(w, null);
        writer = w;
        if (old != null) old.close();
        return w;
    }

    /** Applies the function to a current searcher; {@code nothingWritten} when the index was never written. */
    <T> T search(SearchFunction<T> function, T nothingWritten) throws IOException {
        SearcherManager m = manager();
        if (m == null) return nothingWritten;
        IndexSearcher s = m.acquire();
        try {
            return function.apply(s);
        } finally {
            m.release(s);
        }
    }

    private SearcherManager manager() throws IOException {
        SearcherManager m = manager;
        if (m != null) return m;
        synchronized (this) {
            if (manager == null && DirectoryReader.indexExists(dir)) manager = new SearcherManager(dir, null);
            return manager;
        }
    }

    /** Makes what was written visible to searches. */
    void refresh() throws IOException {
        SearcherManager m = manager;
        if (m != null) m.maybeRefreshBlocking();
    }

    void commit() throws IOException {
        IndexWriter w = writer;
        if (w != null) w.commit();
        refresh();
    }

    @Override
    public synchronized void close() throws IOException {
        try (Directory d = dir; IndexWriter w = writer; SearcherManager m = manager) {
            // closed in reverse order: searchers, writer, directory
        }
    }
}
