package trailhound.web.evidence;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import trailhound.access.Evidence;
import trailhound.access.Scope;
import trailhound.store.EvidenceFiles.EvidenceFile;
import trailhound.web.live.AgentRequests;
import trailhound.web.live.FilePull;

/**
 * Files being fetched from endpoints into the evidence store: {@link #start} records the evidence
 * row (the access layer checks the role and the endpoint, and audits) and pulls the file in the
 * background, at most {@value #PARALLEL} at a time; {@link #progress} says how far one is. A transfer
 * that fails records why; one interrupted by a server stop is marked failed at the next start.
 * Thread-safe.
 */
public final class EvidenceTransfers implements AutoCloseable {
    static final int PARALLEL = 2;

    private final FilePull pull;
    private final long maxBytes;
    private final Map<Long, FilePull.Progress> progress = new ConcurrentHashMap<>();
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
     * Starts fetching {@code path} from {@code endpoint} for the caller; answers the evidence row
     * (state transferring).
     */
    public EvidenceFile start(Scope scope, String endpoint, String path) {
        Evidence evidence = scope.evidence();
        EvidenceFile f = evidence.begin(endpoint, path);
        progress.put(f.id(), new FilePull.Progress(0, -1, 0));
        workers.execute(() -> run(evidence, f));
        return f;
    }

    private void run(Evidence evidence, EvidenceFile f) {
        try {
            FilePull.Pulled done = pull.pull(f.endpoint(), f.path(), evidence.location(f.id()), maxBytes, p -> progress.put(f.id(), p));
            evidence.complete(f.id(), done.agentPath(), done.size(), done.sha256(), done.resumes());
        } catch (IOException | AgentRequests.RequestException e) {
            evidence.fail(f.id(), e.getMessage());
        } catch (RuntimeException e) {
            evidence.fail(f.id(), "the server failed: " + e);
        } finally {
            progress.remove(f.id());
        }
    }

    /** How far a running transfer is; empty when none runs for {@code id}. */
    public Optional<FilePull.Progress> progress(long id) {
        return Optional.ofNullable(progress.get(id));
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
