package trailhound.store;

import java.util.List;

/**
 * A long piece of work and where it stands.
 *
 * @param kind      {@code reindex}
 * @param owner     who started it (a web user or {@code cli:<os user>})
 * @param state     {@code queued}, {@code running}, {@code done}, {@code failed} or {@code cancelled}
 * @param createdAt UTC epoch ms; {@code startedAt}, {@code finishedAt} null until then
 * @param message   why it failed or was cancelled (null when none)
 * @param parts     each endpoint's part, by name
 */
public record JobInfo(long id, String kind, String owner, String state, long createdAt, Long startedAt, Long finishedAt,
        long endpointsTotal, long endpointsDone, long eventsTotal, long eventsDone, String message, boolean cancelRequested,
        List<Part> parts) {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    /** True once it ended, one way or another. */
    public boolean finished() {
        return state.equals(DONE) || state.equals(FAILED) || state.equals(CANCELLED);
    }

    /** One endpoint's part: its state (as the job's), the events it rebuilt, why it failed. */
    public record Part(String endpoint, String state, long events, String message) {}
}
