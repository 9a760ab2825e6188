package trailhound.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.search.Query;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import trailhound.index.Distribution;
import trailhound.opensearch.OpenSearchConnection;
import trailhound.opensearch.OpenSearchEvents;
import trailhound.opensearch.node.OpenSearchNode;
import trailhound.query.QueryLanguage;
import trailhound.recorder.RecorderReader;
import trailhound.schema.Event;

/*
 * OpenSearch, the engine that builds the same kind of index: the opensearch backend's own code
 * (OpenSearchEvents: explicit mappings, the query language translated to the query DSL, bulk
 * create) against a node started for the run (OpenSearchNode, a child JVM) or one given by URL.
 *
 * Load: the snapshot read with RecorderReader as ingest reads it, bulks of 5,000 events sent by as
 * many threads as cores with refreshes off (OpenSearch's advice for a bulk load), then one refresh,
 * after which the backend's 1 s refresh interval is back; all of it is the load time. One shard,
 * no replica. The shard request cache is turned off: it keeps the whole answer of a size-0 search
 * and serves an identical repeat without searching, which would time a memoised answer; the node
 * query cache (per-segment filters, like Lucene's query cache in the index) stays on.
 *
 */
final class OpenSearchSide implements Peer {
    private final OpenSearchNode node;
    private final OpenSearchEvents events;
    private final String endpoint;
    private final BenchReport.PeerLoad loaded;

    private OpenSearchSide(OpenSearchNode node, OpenSearchEvents events, String endpoint, BenchReport.PeerLoad loaded) {
        this.node = node;
        this.events = events;
        this.endpoint = endpoint;
        this.loaded = loaded;
    }

    /**
     * Loads {@code snapshot} as {@code endpoint}'s events into a new index on the node at {@code url},
     * or (url null) on a node started in {@code folder} with {@code heap} (the JVM's form, "3g"),
     * stopped by {@link #close()}.
     */
    static OpenSearchSide load(Path snapshot, String endpoint, String url, Path folder, String heap, int threads) throws Exception {
        OpenSearchNode node = url == null ? OpenSearchNode.start(folder, heap) : null;
        OpenSearchEvents events = null;
        try {
            OpenSearchConnection connection = OpenSearchConnection.of(url == null ? node.url() : url);
            String name = "bench-" + Long.toHexString(System.nanoTime());
            events = OpenSearchEvents.open(connection, name, 1);
            put(connection.client(), "/" + name + "/_settings",
                    "{\"index\":{\"requests.cache.enable\":false,\"refresh_interval\":\"-1\"}}");
            long t0 = System.nanoTime();
            long added = bulkLoad(snapshot, endpoint, events, threads);
            events.refresh();
            put(connection.client(), "/" + name + "/_settings", "{\"index\":{\"refresh_interval\":\"1s\"}}");
            double seconds = Benchmark.seconds(t0);
            String setup = (url == null ? "node in a child JVM, heap " + heap : "node at " + url)
                    + ", 1 shard, no replica, no refresh while loading, request cache off, " + threads + " bulk threads";
            return new OpenSearchSide(node, events, endpoint, new BenchReport.PeerLoad("opensearch", added, seconds,
                    added / seconds, -1, setup));
        } catch (Exception | Error e) {
            if (events != null) events.close();
            if (node != null) node.close();
            throw e;
        }
    }

    private static long bulkLoad(Path snapshot, String endpoint, OpenSearchEvents events, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            // at most two bulks waiting per thread: the reader never runs far ahead of the node
            java.util.concurrent.Semaphore room = new java.util.concurrent.Semaphore(2 * threads);
            List<Future<Long>> sent = new ArrayList<>();
            List<Event> batch = new ArrayList<>();
            try (RecorderReader reader = RecorderReader.open(snapshot)) {
                List<Event>[] current = new List[] {batch};
                reader.read(endpoint, e -> {
                    current[0].add(e);
                    if (current[0].size() == BULK) {
                        sent.add(submit(pool, room, events, endpoint, current[0]));
                        current[0] = new ArrayList<>(BULK);
                    }
                });
                if (!current[0].isEmpty()) sent.add(submit(pool, room, events, endpoint, current[0]));
            }
            long added = 0;
            for (Future<Long> f : sent) added += f.get();
            return added;
        } finally {
            pool.shutdownNow();
        }
    }

    private static final int BULK = 5_000;

    private static Future<Long> submit(ExecutorService pool, java.util.concurrent.Semaphore room, OpenSearchEvents events,
            String endpoint, List<Event> batch) {
        room.acquireUninterruptibly();
        return pool.submit(() -> {
            try {
                return events.addAll(endpoint, batch);
            } finally {
                room.release();
            }
        });
    }

    private static void put(OpenSearchClient client, String path, String json) throws IOException {
        try (Response response = client.generic().execute(Requests.builder().method("PUT").endpoint(path).json(json).build())) {
            if (response.getStatus() >= 300) {
                throw new IOException("OpenSearch refused PUT " + path + ": " + response.getStatus() + " "
                        + response.getBody().map(b -> b.bodyAsString()).orElse(""));
            }
        }
    }

    @Override
    public String name() {
        return "opensearch";
    }

    @Override
    public BenchReport.PeerLoad loaded() {
        return loaded;
    }

    /** The answer, as the backend gives it to the web app. */
    @Override
    public Answer run(QueryCase q) throws Exception {
        List<String> only = List.of(endpoint);
        return switch (q.kind()) {
            case COUNT -> Answer.of(events.count(only, parse(q.indexQuery())));
            case DISTRIBUTION -> {
                Distribution d = events.distribution(endpoint, q.indexQuery() == null ? null : parse(q.indexQuery()));
                yield Answer.distribution(d.total(), d.types());
            }
            case PROCESS -> {
                long total = events.count(only, parse("process_key:" + QuerySuite.quote(q.indexQuery())));
                events.processHistory(endpoint, q.indexQuery(), IndexSide.HISTORY);
                yield Answer.of(total);
            }
            case PAGE -> {
                long total = events.count(only, parse(q.indexQuery()));
                events.newestFirst(endpoint, parse(q.indexQuery()), IndexSide.PAGE, null);
                yield Answer.of(total);
            }
            case EXPORT -> {
                List<Map<String, String>> rows = events.newestFirst(endpoint, parse(q.indexQuery()), IndexSide.EXPORT_ROWS, null)
                        .stream().map(Event::toDisplayMap).toList();
                yield Answer.of(ExcelExport.write(rows, OutputStream.nullOutputStream()));
            }
            case HISTOGRAM -> Answer.histogram(events.histogram(endpoint, q.indexQuery() == null ? null : parse(q.indexQuery())));
        };
    }

    private static Query parse(String text) {
        return QueryLanguage.parse(text == null ? "" : text);
    }

    @Override
    public void close() throws IOException {
        try (OpenSearchEvents e = events) {
            try {
                e.deleteAll();
            } catch (IOException | RuntimeException ignored) {
                // the node's folder goes with the work folder; a given node keeps an index named bench-*
            }
        } finally {
            if (node != null) node.close();
        }
    }
}
