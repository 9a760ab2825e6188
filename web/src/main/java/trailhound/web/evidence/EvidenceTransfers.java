package trailhound.web.evidence;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import trailhound.access.Evidence;
import trailhound.access.Scope;
import trailhound.protocol.PathBytes;
import trailhound.store.EvidenceFiles.EvidenceFile;
import trailhound.web.live.AgentRequests;
import trailhound.web.live.FilePull;

/**
 * Files being fetched from endpoints into the evidence store: {@link #start} records the evidence
 * row (the access layer checks the role and the endpoint, and audits) and pulls the file in the
 * background, at most {@value #PARALLEL} at a time; {@link #progress} says how far one is;
 * {@link #cancel} stops one. A transfer that fails or is cancelled records why and leaves no file (its
 * {@code .part} is deleted); one a server stop ends is marked failed and audited at the stop ({@link #close}),
 * and {@link #sweep} removes the parts such stops left at the next start. Thread-safe.
 */
public final class EvidenceTransfers implements AutoCloseable {
    static final int PARALLEL = 2;

    private final FilePull pull;
    private final long maxBytes;
    private final Map<Long, FilePull.Progress> progress = new ConcurrentHashMap<>();
    /** Transfers waiting for one of the {@value #PARALLEL} workers, by evidence id (ids grow: the lower began first). */
    private final java.util.Set<Long> queued = ConcurrentHashMap.newKeySet();
    /** Running (or queued) transfers by evidence id: the user who cancelled it, or "" while none did. */
    private final Map<Long, String> cancelledBy = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newFixedThreadPool(PARALLEL,
            r -> Thread.ofPlatform().daemon().name("evidence-transfer").unstarted(r));

    /** @param maxBytes the largest file accepted */
    public EvidenceTransfers(FilePull pull, long maxBytes) {
        this.pull = pull;
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Deletes the partial copies ({@code *.part}) left in the evidence folder {@code folder} by transfers a
     * server stop cut: none of them resumes after a restart. Call before any transfer starts.
     *
     * @return the bytes freed
     */
    public static long sweep(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return 0;
        long freed = 0;
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(folder, "*.part")) {
            for (Path part : parts) {
                long size = Files.size(part);
                if (Files.deleteIfExists(part)) freed += size;
            }
        }
        return freed;
    }

    /**
     * Starts fetching {@code path} from {@code endpoint} for the caller; answers the evidence row
     * (state transferring).
     */
    public EvidenceFile start(Scope scope, String endpoint, String path) {
        return start(scope, endpoint, path.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** As {@link #start(Scope, String, String)}, of the exact bytes of a path (on Linux they need not be UTF-8). */
    public EvidenceFile start(Scope scope, String endpoint, byte[] path) {
        Evidence evidence = scope.evidence();
        EvidenceFile f = evidence.begin(endpoint, PathBytes.escaped(path), PathBytes.utf8(path) ? null : path);
        progress.put(f.id(), new FilePull.Progress(0, -1, 0));
        cancelledBy.put(f.id(), "");
        queued.add(f.id());
        workers.execute(() -> run(evidence, f));
        return f;
    }

    private void run(Evidence evidence, EvidenceFile f) {
        queued.remove(f.id());
        try {
            if (!cancelledBy.getOrDefault(f.id(), "").isEmpty()) throw new FilePull.CancelledException("cancelled before it began");
            FilePull.Pulled done = pull.pull(f.endpoint(), f.exactPath(), evidence.location(f.id()), maxBytes, p -> progress.put(f.id(), p),
                    () -> !cancelledBy.getOrDefault(f.id(), "").isEmpty());
            evidence.complete(f.id(), done.shownPath(), done.agentPathBytes(), done.size(), done.sha256(), done.resumes(), done.grewNote());
        } catch (FilePull.CancelledException e) {
            if (stopping) evidence.fail(f.id(), stopped(f.id()));
            else evidence.cancelled(f.id(), "cancelled by " + cancelledBy.get(f.id()) + "; nothing of it is kept");
        } catch (IOException | AgentRequests.RequestException e) {
            evidence.fail(f.id(), stopping ? stopped(f.id()) : e.getMessage());
        } catch (RuntimeException e) {
            evidence.fail(f.id(), stopping ? stopped(f.id()) : "the server failed: " + e);
        } finally {
            progress.remove(f.id());
            cancelledBy.remove(f.id());
            queued.remove(f.id());
        }
    }

    /**
     * The caller cancels the running transfer {@code f} (the access layer checks they kept it or are an
     * administrator, and audits); it stops at its next chunk, is marked cancelled and leaves no file.
     *
     * @return false when {@code f} is not running (complete, failed, cancelled, or cut by a server stop)
     */
    public boolean cancel(Scope scope, EvidenceFile f) {
        if (!cancelledBy.containsKey(f.id())) return false;
        scope.evidence().cancel(f);
        return cancelledBy.computeIfPresent(f.id(), (id, by) -> by.isEmpty() ? scope.caller().user() : by) != null;
    }

    /** Whether the running transfer {@code id} was cancelled and is still stopping (its agent may be hashing the file). */
    public boolean cancelling(long id) {
        return !cancelledBy.getOrDefault(id, "").isEmpty();
    }

    /**
     * How many transfers are ahead of the queued transfer {@code id} (those running and those queued before it); empty
     * when it is not queued (it runs, or has ended).
     */
    public java.util.OptionalInt ahead(long id) {
        if (!queued.contains(id)) return java.util.OptionalInt.empty();
        return java.util.OptionalInt.of((int) progress.keySet().stream().filter(other -> other < id).count());
    }

    /** How far a running transfer is; empty when none runs for {@code id}. */
    public Optional<FilePull.Progress> progress(long id) {
        return Optional.ofNullable(progress.get(id));
    }

    /** Why a transfer a server stop ended failed, with what had arrived (not kept: a transfer does not resume across a restart). */
    private String stopped(long id) {
        FilePull.Progress p = progress.get(id);
        String had = p == null || p.received() == 0 ? "" : p.size() < 0 ? String.format(" (%,d bytes had arrived)", p.received())
                : String.format(" (%,d of %,d bytes had arrived)", p.received(), p.size());
        return "the server stopped during the transfer" + had + "; nothing of it is kept: keep it as evidence again after the restart";
    }

    /** Set by {@link #close}: the transfers it ends fail as stopped. */
    private volatile boolean stopping;

    /**
     * Ends the transfers under way, each recorded failed and audited before the data folder closes
     * (fourth try-out: the store closed first, and the audit trail lacked their end). Waits at most
     * {@link #STOP_WAIT}, saying on stderr what it waits for when it must.
     */
    @Override
    public void close() {
        stopping = true;
        int running = cancelledBy.size();
        workers.shutdownNow(); // interrupts those waiting on their agent
        try {
            if (!workers.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS)) {
                System.err.println("trailhound: waiting up to " + STOP_WAIT.toSeconds() + " s for " + (running == 1 ? "an evidence transfer"
                        : running + " evidence transfers") + " to record that the stop ended " + (running == 1 ? "it" : "them"));
                workers.awaitTermination(STOP_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long a server stop waits for its transfers to record their end: each is interrupted, so moments. */
    static final java.time.Duration STOP_WAIT = java.time.Duration.ofSeconds(10);
}
