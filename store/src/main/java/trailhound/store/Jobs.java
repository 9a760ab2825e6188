package trailhound.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Jobs and their per-endpoint parts (tables {@code jobs}, {@code job_endpoints}). Thread-safe. */
public final class Jobs {
    private static final String COLUMNS = "id, kind, owner, state, created_at, started_at, finished_at, endpoints_total,"
            + " endpoints_done, events_total, events_done, message, cancel_requested";

    private final Database db;

    Jobs(Database db) {
        this.db = db;
    }

    /** Records a queued job over these endpoints; returns its id. */
    public long create(String kind, String owner, List<String> endpoints, long eventsTotal) {
        return db.write("create a job", c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs(kind, owner, state, created_at, endpoints_total,"
                    + " events_total) VALUES (?, ?, 'queued', ?, ?, ?) RETURNING id")) {
                ps.setString(1, kind);
                ps.setString(2, owner);
                ps.setLong(3, System.currentTimeMillis());
                ps.setLong(4, endpoints.size());
                ps.setLong(5, eventsTotal);
                try (ResultSet rs = ps.executeQuery()) {
                    id = rs.getLong(1);
                }
            }
            for (String e : endpoints) {
                Catalogue.update(c, "INSERT OR IGNORE INTO job_endpoints(job_id, endpoint, state) VALUES (?, ?, 'queued')", id, e);
            }
            return id;
        });
    }

    /** Records a queued job over these endpoints with its request ({@code spec}, JSON its kind reads); returns its id. */
    public long create(String kind, String owner, List<String> endpoints, long eventsTotal, String spec) {
        long id = create(kind, owner, endpoints, eventsTotal);
        db.write("describe job " + id, c -> Catalogue.update(c, "UPDATE jobs SET spec = ? WHERE id = ?", spec, id));
        return id;
    }

    /** The request a job was created with (null: none). */
    public Optional<String> spec(long id) {
        return db.read("read job " + id, c -> Sql.list(c, "SELECT spec FROM jobs WHERE id = ?", rs -> Optional.ofNullable(rs.getString(1)),
                id).stream().findFirst().flatMap(o -> o));
    }

    /** Marks every queued or running job of {@code kind} as failed for {@code reason}; answers their ids. */
    public List<Long> failUnfinished(String kind, String reason) {
        return db.write("fail unfinished jobs", c -> {
            List<Long> ids = Sql.list(c, "SELECT id FROM jobs WHERE kind = ? AND state IN ('queued', 'running')", rs -> rs.getLong(1), kind);
            Sql.update(c, "UPDATE jobs SET state = 'failed', message = ?, finished_at = ? WHERE kind = ? AND state IN ('queued', 'running')",
                    reason, System.currentTimeMillis(), kind);
            return ids;
        });
    }

    /**
     * Marks every queued job of {@code kind} as failed for {@code queuedReason} (it never started) and
     * every running one for {@code runningReason}; answers their ids.
     */
    public List<Long> failUnfinished(String kind, String queuedReason, String runningReason) {
        return db.write("fail unfinished jobs", c -> {
            List<Long> ids = Sql.list(c, "SELECT id FROM jobs WHERE kind = ? AND state IN ('queued', 'running')", rs -> rs.getLong(1), kind);
            long now = System.currentTimeMillis();
            Sql.update(c, "UPDATE jobs SET state = 'failed', message = ?, finished_at = ? WHERE kind = ? AND state = 'queued'",
                    queuedReason, now, kind);
            Sql.update(c, "UPDATE jobs SET state = 'failed', message = ?, finished_at = ? WHERE kind = ? AND state = 'running'",
                    runningReason, now, kind);
            return ids;
        });
    }

    public Optional<JobInfo> get(long id) {
        return query(" WHERE id = ?", id).stream().findFirst();
    }

    /** Every job, newest first (at most {@code limit}). */
    public List<JobInfo> list(int limit) {
        return query(" ORDER BY id DESC LIMIT ?", limit);
    }

    /** Jobs queued or running: after a stop or crash, these are resumed. Oldest first. */
    public List<JobInfo> unfinished() {
        return query(" WHERE state IN ('queued', 'running') ORDER BY id", null);
    }

    public void start(long id) {
        db.write("start job " + id, c -> Catalogue.update(c,
                "UPDATE jobs SET state = 'running', started_at = coalesce(started_at, ?) WHERE id = ?", System.currentTimeMillis(), id));
    }

    /**
     * Records progress counters (the job's totals so far). The events total was counted when the job was
     * asked for; events that arrived since (a live endpoint's) raise it, so progress never reads "302,800 of 302,600".
     */
    public void progress(long id, long endpointsDone, long eventsDone) {
        db.write("update job " + id, c -> Catalogue.update(c,
                "UPDATE jobs SET endpoints_done = ?, events_done = ?, events_total = max(events_total, ?) WHERE id = ?",
                endpointsDone, eventsDone, eventsDone, id));
    }

    public void part(long id, String endpoint, String state, long events, String message) {
        db.write("update job " + id, c -> Catalogue.update(c,
                "UPDATE job_endpoints SET state = ?, events = ?, message = ? WHERE job_id = ? AND endpoint = ?",
                state, events, message, id, endpoint));
    }

    public void finish(long id, String state, String message) {
        db.write("finish job " + id, c -> Catalogue.update(c,
                "UPDATE jobs SET state = ?, message = ?, finished_at = ? WHERE id = ?", state, message, System.currentTimeMillis(), id));
    }

    /** Asks a queued or running job to stop; false when it had ended already. */
    public boolean requestCancel(long id) {
        return db.write("cancel job " + id, c -> Catalogue.update(c,
                "UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND state IN ('queued', 'running')", id)) > 0;
    }

    private List<JobInfo> query(String tail, Object arg) {
        return db.read("read jobs", c -> {
            List<JobInfo> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs" + tail)) {
                if (arg != null) ps.setObject(1, arg);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        out.add(new JobInfo(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                                longOrNull(rs, 6), longOrNull(rs, 7), rs.getLong(8),
                                rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getString(12), rs.getInt(13) != 0, List.of()));
                    }
                }
            }
            if (out.isEmpty()) return out;
            Map<Long, List<JobInfo.Part>> parts = parts(c, out.stream().map(j -> Long.toString(j.id()))
                    .collect(java.util.stream.Collectors.joining(",")));
            return out.stream().map(j -> new JobInfo(j.id(), j.kind(), j.owner(), j.state(), j.createdAt(), j.startedAt(),
                    j.finishedAt(), j.endpointsTotal(), j.endpointsDone(), j.eventsTotal(), j.eventsDone(), j.message(),
                    j.cancelRequested(), parts.getOrDefault(j.id(), List.of()))).toList();
        });
    }

    private static Long longOrNull(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /** @param ids comma-separated job ids (numbers only) */
    private static Map<Long, List<JobInfo.Part>> parts(Connection c, String ids) throws SQLException {
        Map<Long, List<JobInfo.Part>> parts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT job_id, endpoint, state, events, message FROM job_endpoints"
                + " WHERE job_id IN (" + ids + ") ORDER BY job_id, endpoint");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                parts.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new JobInfo.Part(rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5)));
            }
        }
        return parts;
    }
}
