package trailhound.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/*
 * The lag probes' searching half, in the bench's own JVM. An agent process (LiveAgentsMain) picks an event
 * its replay just stored and says "probe ENDPOINT DUE_MS UID"; here a thread searches the endpoint for that
 * uid until it is found or 30 s after it was due. The agent processes run at the lowest priority (they stand
 * for other machines, LiveBench.LOW_PRIORITY): a probe that searched from there waited for CPU itself, and at
 * the start its requests took seconds to come back while the event was long searchable (session 19). The
 * agent process times the first two stages (sent, held) in its own memory and says "stamps UID SENT HELD".
 */
/** Lags of {@code bench --live}: from when an event was due in its replay until a search of its endpoint finds it. */
final class LiveProbes {
    static final long GIVE_UP_MS = 30_000;

    private final HttpClient http;
    private final URI server;
    private final String apiToken;
    final List<Long> lagsMs = new CopyOnWriteArrayList<>();
    /** Per probe found: until sent, until held, until found, in ms. */
    final List<long[]> stagesMs = new CopyOnWriteArrayList<>();
    final AtomicInteger gaveUp = new AtomicInteger();
    /** Agents' stamps (sent, held; wall ms) by uid, and found probes (due, found) waiting for theirs. */
    private final Map<String, long[]> stamps = new HashMap<>();
    private final Map<String, long[]> found = new HashMap<>();

    LiveProbes(HttpClient http, URI server, String apiToken) {
        this.http = http;
        this.server = server;
        this.apiToken = apiToken;
    }

    /**
     * An agent process stored the event {@code uid} of {@code endpoint}, due at {@code dueMs} (epoch ms): searched for
     * on a thread of its own, which then calls {@code searched} (found or given up).
     */
    void probe(String endpoint, long dueMs, String uid, Runnable searched) {
        Thread.ofVirtual().name("probe-" + endpoint).start(() -> {
            String q = "event_uid:\"" + uid.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            long started = System.currentTimeMillis();
            long deadline = dueMs + GIVE_UP_MS;
            try {
                while (System.currentTimeMillis() < deadline) {
                    // a server that is down (the fault run kills it) counts -1: the probe goes on until it gives up
                    if (LiveAgentsMain.count(http, server, apiToken, endpoint, q) >= 1) {
                        long at = System.currentTimeMillis();
                        lagsMs.add(at - dueMs);
                        join(uid, null, new long[] {dueMs, at});
                        return;
                    }
                    // every 50 ms for the first second, then every 200 ms: 16 probes polling every 50 ms while a lag lasted
                    // were 320 counts a second, a fifth of the server's CPU (docs/performance.md, session 16); a late
                    // poll only makes a lag look longer, by at most 200 ms
                    Thread.sleep(System.currentTimeMillis() - started < 1_000 ? 50 : 200);
                }
                gaveUp.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                searched.run();
            }
        });
    }

    /** The agent's stamps of a probe's event: sent in a batch, then held (acknowledged), wall ms. */
    void stamps(String uid, long sentMs, long heldMs) {
        join(uid, new long[] {sentMs, heldMs}, null);
    }

    /** A probe's stages once both its stamps ({sent, held}) and its finding ({due, found}) are in, whichever came first; wall ms. */
    synchronized void join(String uid, long[] stamp, long[] find) {
        if (stamp == null) stamp = stamps.remove(uid);
        if (find == null) find = found.remove(uid);
        if (stamp == null) {
            found.put(uid, find);
        } else if (find == null) {
            stamps.put(uid, stamp);
        } else {
            // the agent polls its stamps: a stamp may come a little after the search found the event
            long sent = Math.min(stamp[0], find[1]);
            long held = Math.max(sent, Math.min(stamp[1], find[1]));
            stagesMs.add(new long[] {Math.max(0, sent - find[0]), held - sent, find[1] - held});
        }
    }
}
