package trailhound.access;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import trailhound.ingest.DataDir;
import trailhound.store.JobInfo;
import trailhound.store.Jobs;

/**
 * Event exports run as background jobs (kind {@value #KIND}; the job id is the export id), as one
 * caller may start, watch, cancel and download them. Starting one needs {@link Action#EXPORT} and
 * every endpoint it reads to be the caller's; an export is the business of the user who started it
 * and of administrators, to anyone else it does not exist. Starting, cancelling and downloading are
 * audited ({@code export}, {@code export.cancel}, {@code export.download}). The finished ZIP is
 * {@code exports/<id>.zip} under the data folder, written as {@code <id>.zip.part} and renamed when
 * complete, so a cancelled or failed export leaves nothing behind. Not thread-safe: one per request.
 */
public final class Exports {
    /** The job kind of exports. */
    public static final String KIND = "export";
    /** The exports folder under the data folder. */
    public static final String FOLDER = "exports";
    /**
     * Exports one user may have queued or running at once (one asked to cancel not counted): the
     * workers are shared, so one user's whole-fleet exports must not starve everyone else's.
     */
    public static final int MAX_ACTIVE_PER_USER = 2;
    private static final Object SUBMITTING = new Object(); // counting and queueing as one step

    private final Scope scope;
    private final DataDir data;

    Exports(Scope scope, DataDir data) {
        this.scope = scope;
        this.data = data;
    }

    private Jobs jobs() {
        return data.store().jobs();
    }

    /**
     * Queues an export of {@code endpoints} (each checked: one the caller may not see is unknown),
     * {@code total} events expected, {@code spec} the request as JSON for the runner; audited with
     * {@code description}. Answers the export id.
     *
     * @throws AccessDeniedException for a read-only user
     * @throws trailhound.index.UnknownEndpointException for an endpoint outside the caller's groups
     * @throws TooManyExportsException (429) when the caller has {@link #MAX_ACTIVE_PER_USER} exports queued or running
     */
    public long submit(List<String> endpoints, long total, String spec, String description) {
        scope.require(Action.EXPORT);
        for (String e : endpoints) scope.endpoint(e);
        long id;
        synchronized (SUBMITTING) {
            List<JobInfo> active = jobs().unfinished().stream().filter(j -> j.kind().equals(KIND) && !j.cancelRequested())
                    .filter(j -> j.owner().equals(scope.caller().user())).toList();
            if (active.size() >= MAX_ACTIVE_PER_USER) {
                long waiting = jobs().unfinished().stream().filter(j -> j.kind().equals(KIND) && JobInfo.QUEUED.equals(j.state())).count();
                scope.audit("export", null, AuditLog.DENIED, "refused: " + active.size() + " exports already queued or running");
                throw new TooManyExportsException("you have " + active.size() + " exports queued or running ("
                        + String.join(", ", active.stream().map(j -> "#" + j.id() + " " + j.state()).toList()) + "), the most one user may"
                        + " have at once; " + waiting + (waiting == 1 ? " export is" : " exports are") + " waiting in the queue. Wait for"
                        + " one to finish, or cancel one on the Exports page (POST /api/v1/exports/{id}/cancel)");
            }
            id = jobs().create(KIND, scope.caller().user(), endpoints, total, spec);
        }
        scope.audit("export", endpoints.size() == 1 ? endpoints.getFirst() : null, AuditLog.OK, "export " + id + ": " + description);
        return id;
    }

    /** The export, when it exists and is the caller's (or the caller is an administrator). */
    public Optional<JobInfo> find(long id) {
        return jobs().get(id).filter(j -> j.kind().equals(KIND))
                .filter(j -> j.owner().equals(scope.caller().user()) || scope.caller().role() == Role.ADMINISTRATOR);
    }

    /** The caller's exports (administrators: everyone's), newest first, at most {@code limit}. */
    public List<JobInfo> list(int limit) {
        return jobs().list(Math.max(limit * 4, 200)).stream().filter(j -> j.kind().equals(KIND))
                .filter(j -> j.owner().equals(scope.caller().user()) || scope.caller().role() == Role.ADMINISTRATOR).limit(limit).toList();
    }

    /**
     * Asks the export to stop; audited. False when it had ended.
     *
     * @throws AccessException (unknown) when there is no such export of the caller's
     */
    public boolean cancel(long id) {
        JobInfo j = find(id).orElseThrow(() -> unknown(id));
        boolean asked = jobs().requestCancel(j.id());
        scope.audit("export.cancel", null, AuditLog.OK, "export " + id + (asked ? "" : ": it had ended (" + j.state() + ")"));
        return asked;
    }

    /**
     * The finished export's ZIP, to stream to the caller; audited.
     *
     * @throws AccessDeniedException for a read-only user
     * @throws AccessException (unknown) when there is no such export of the caller's; (bad request) while it is not done
     */
    public Path download(long id) {
        scope.require(Action.EXPORT);
        JobInfo j = find(id).orElseThrow(() -> unknown(id));
        if (!j.state().equals(JobInfo.DONE)) {
            throw new AccessException("export " + id + " is " + j.state() + (j.message() == null ? "" : " (" + j.message() + ")")
                    + ": only a finished export can be downloaded; GET /api/v1/exports/" + id + " says where it stands");
        }
        scope.audit("export.download", null, AuditLog.OK, "export " + id + ", " + j.eventsDone() + " events");
        return file(data.root(), id);
    }

    /** The request the export was started with (JSON). @throws AccessException (unknown) as {@link #find} */
    public String spec(long id) {
        find(id).orElseThrow(() -> unknown(id));
        return jobs().spec(id).orElse("{}");
    }

    /** The finished ZIP of export {@code id} under data folder {@code root}. */
    public static Path file(Path root, long id) {
        return root.resolve(FOLDER).resolve(id + ".zip");
    }

    /** The name the ZIP is written under until complete. */
    public static Path partFile(Path root, long id) {
        return root.resolve(FOLDER).resolve(id + ".zip.part");
    }

    private static AccessException unknown(long id) {
        return AccessException.unknown("no export " + id + " among yours; GET /api/v1/exports lists them");
    }
}
