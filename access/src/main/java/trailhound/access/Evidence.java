package trailhound.access;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import trailhound.ingest.DataDir;
import trailhound.store.EvidenceFiles;
import trailhound.store.EvidenceFiles.EvidenceFile;

/**
 * Saved evidence files as one caller may see and handle them: fetching a file from an endpoint needs
 * the analyst role ({@link Action#INVESTIGATE}), downloading one {@link Action#EXPORT}; a file from an
 * endpoint outside the caller's groups does not exist for them. Each fetch, its outcome and each
 * download are audited ({@code evidence.fetch}, {@code evidence.download}). The files live in
 * {@code evidence/files/<id>} under the data folder. Not thread-safe: one per request, as its scope.
 */
public final class Evidence {
    /** The evidence folder under the data folder. */
    public static final String FOLDER = "evidence/files";

    private final Scope scope;
    private final DataDir data;
    private final Clock clock;

    Evidence(Scope scope, DataDir data, Clock clock) {
        this.scope = scope;
        this.data = data;
        this.clock = clock;
    }

    private EvidenceFiles files() {
        return data.store().evidenceFiles();
    }

    /**
     * Records the start of a fetch of {@code path} from {@code endpoint}; audited.
     *
     * @throws AccessDeniedException for a read-only user
     * @throws trailhound.index.UnknownEndpointException for an endpoint outside the caller's groups
     */
    public EvidenceFile begin(String endpoint, String path) {
        return begin(endpoint, path, null);
    }

    /**
     * As {@link #begin(String, String)}, of a path that is not UTF-8: {@code path} as people read it ({@code \xFF}
     * for each byte that is not), {@code pathBytes} its exact bytes (null for a UTF-8 path).
     */
    public EvidenceFile begin(String endpoint, String path, byte[] pathBytes) {
        scope.require(Action.INVESTIGATE);
        scope.endpoint(endpoint);
        String name = lastPart(path);
        long id = files().begin(endpoint, path, pathBytes, name, scope.caller().user(), clock.millis());
        scope.audit("evidence.fetch", endpoint, AuditLog.OK, "evidence file " + id + ": fetching " + path);
        return files().find(id).orElseThrow();
    }

    /**
     * The file's last part in the endpoint's syntax: after the last {@code /} of an absolute POSIX path
     * (where a backslash is an ordinary character of a name), after the last {@code /} or {@code \}
     * otherwise (Windows).
     */
    static String lastPart(String path) {
        boolean posix = path.startsWith("/");
        String trimmed = path.replaceAll(posix ? "/+$" : "[/\\\\]+$", "");
        int cut = posix ? trimmed.lastIndexOf('/') : Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
        String name = trimmed.substring(cut + 1);
        return name.isEmpty() ? "file" : name;
    }

    /** The fetch of {@code id} completed and was verified, after {@code resumes} cuts; audited. */
    public void complete(long id, String agentPath, long size, String sha256, int resumes) {
        complete(id, agentPath, null, size, sha256, resumes);
    }

    /** As {@link #complete(long, String, long, String, int)}, with the exact bytes of a path that is not UTF-8. */
    public void complete(long id, String agentPath, byte[] agentPathBytes, long size, String sha256, int resumes) {
        complete(id, agentPath, agentPathBytes, size, sha256, resumes, null);
    }

    /** As {@link #complete(long, String, byte[], long, String, int)}; {@code note} (or null) shown with the file, e.g. that it grew while copied. */
    public void complete(long id, String agentPath, byte[] agentPathBytes, long size, String sha256, int resumes, String note) {
        files().complete(id, agentPath, agentPathBytes, size, sha256, clock.millis(), note);
        EvidenceFile f = files().find(id).orElseThrow();
        scope.audit("evidence.fetch", f.endpoint(), AuditLog.OK, "evidence file " + id + ": " + agentPath + ", " + size + " bytes, SHA-256 "
                + sha256 + (resumes == 0 ? "" : ", resumed after " + resumes + (resumes == 1 ? " cut" : " cuts")) + (note == null ? "" : "; " + note));
    }

    /** The fetch of {@code id} failed; audited. */
    public void fail(long id, String reason) {
        files().fail(id, reason, clock.millis());
        EvidenceFile f = files().find(id).orElseThrow();
        scope.audit("evidence.fetch", f.endpoint(), AuditLog.FAILED, "evidence file " + id + ": " + reason);
    }

    /** The fetch of {@code id} was cancelled ({@code reason}: by whom); audited as a failed fetch saying so. */
    public void cancelled(long id, String reason) {
        files().cancelled(id, reason, clock.millis());
        EvidenceFile f = files().find(id).orElseThrow();
        scope.audit("evidence.fetch", f.endpoint(), AuditLog.FAILED, "evidence file " + id + ": " + reason);
    }

    /** Whether the caller may cancel or delete {@code f}: the analyst who kept it, or an administrator. */
    public boolean mayChange(EvidenceFile f) {
        Role role = scope.caller().role();
        return role == Role.ADMINISTRATOR || role != Role.READ_ONLY && scope.caller().user().equals(f.createdBy());
    }

    private void requireChange(EvidenceFile f, String what) {
        scope.require(Action.INVESTIGATE);
        if (!mayChange(f)) {
            scope.audit("evidence." + what, f.endpoint(), AuditLog.DENIED, "evidence file " + f.id() + " of " + f.createdBy());
            throw new AccessDeniedException("evidence file " + f.id() + " was kept by " + f.createdBy() + ": only they or an"
                    + " administrator may " + what + " it");
        }
    }

    /**
     * The caller cancels the running fetch {@code f}; audited. The transfer itself is stopped by its
     * runner, which then records the failure and removes what had arrived.
     *
     * @throws AccessDeniedException unless the caller kept it or is an administrator
     */
    public void cancel(EvidenceFile f) {
        requireChange(f, "cancel");
        scope.audit("evidence.cancel", f.endpoint(), AuditLog.OK, "evidence file " + f.id() + ": " + f.path());
    }

    /**
     * Deletes a complete or failed evidence file: its copy (and any partial copy) from the data folder and
     * its row; audited.
     *
     * @throws AccessDeniedException unless the caller kept it or is an administrator
     * @throws IllegalStateException while it is still transferring (cancel it first)
     */
    public void delete(EvidenceFile f) throws java.io.IOException {
        requireChange(f, "delete");
        if (f.state() == EvidenceFiles.State.TRANSFERRING) {
            throw new IllegalStateException("evidence file " + f.id() + " is still transferring: cancel it first");
        }
        java.nio.file.Files.deleteIfExists(location(f.id()));
        java.nio.file.Files.deleteIfExists(location(f.id()).resolveSibling(f.id() + ".part"));
        data.store().evidenceItems().remove(f.id()); // the item and its file row
        files().delete(f.id());
        scope.audit("evidence.delete", f.endpoint(), AuditLog.OK, "evidence file " + f.id() + ": " + f.path() + " (" + f.state().label()
                + (f.sha256() == null ? "" : ", SHA-256 " + f.sha256()) + ")");
    }

    /** The evidence files of endpoints the caller sees, newest first. */
    public List<EvidenceFile> list() {
        return files().list().stream().filter(f -> visible(f)).toList();
    }

    /** The evidence file, when it exists and its endpoint is the caller's. */
    public Optional<EvidenceFile> find(long id) {
        return files().find(id).filter(this::visible);
    }

    private boolean visible(EvidenceFile f) {
        return scope.caller().role() == Role.ADMINISTRATOR || scope.sees(f.endpoint());
    }

    /** Where the file of evidence {@code id} is (or is being) written. */
    public Path location(long id) {
        return data.root().resolve(FOLDER).resolve(Long.toString(id));
    }

    /**
     * The stored copy of a complete evidence file, to stream to the caller; audited.
     *
     * @throws AccessDeniedException for a read-only user
     */
    public Path download(EvidenceFile f) {
        scope.require(Action.EXPORT);
        scope.audit("evidence.download", f.endpoint(), AuditLog.OK, "evidence file " + f.id() + ": " + f.path() + " (SHA-256 " + f.sha256()
                + ") as an encrypted ZIP");
        return location(f.id());
    }
}
