package trailhound.store;

import java.util.List;
import java.util.Optional;

/**
 * Live agents (tables {@code enrolment_tokens} and {@code agents}): the tokens agents enrol with and
 * the enrolled agents, each bound to one endpoint for good, with what its last heartbeat said. Only
 * SHA-256s of secrets are stored; making and checking them is module access's job. Times in epoch
 * ms. Thread-safe.
 */
public final class LiveAgents {
    /** An enrolment token; {@code group} may be null (no group), {@code revokedAt} null when not revoked. */
    public record EnrolmentToken(String id, String secretSha256, String group, String createdBy, long createdAt, long expiresAt,
            int maxUses, int uses, Long revokedAt) {}

    /**
     * An enrolled agent. {@code addresses} is JSON text (a list of strings) or null before its first
     * heartbeat, as are {@code agentVersion}, {@code storeEvents}, {@code freeDisk}, {@code firstSeen}
     * and {@code lastSeen}; {@code revokedAt} and {@code revokedBy} null unless an administrator revoked it.
     */
    public record Agent(String agentId, String secretSha256, String endpoint, String tokenId, String hostname, String os,
            String addresses, String agentVersion, Long storeEvents, Long freeDisk, long enrolledAt, Long firstSeen, Long lastSeen,
            Long revokedAt, String revokedBy) {}

    private static final String TOKEN_COLUMNS = "id, secret_sha256, group_name, created_by, created_at, expires_at, max_uses, uses,"
            + " revoked_at";
    private static final String AGENT_COLUMNS = "agent_id, secret_sha256, endpoint, token_id, hostname, os, addresses, agent_version,"
            + " store_events, free_disk, enrolled_at, first_seen, last_seen, revoked_at, revoked_by";

    private final Database db;

    LiveAgents(Database db) {
        this.db = db;
    }

    public void insertToken(EnrolmentToken t) {
        db.write("create enrolment token", c -> Sql.update(c, "INSERT INTO enrolment_tokens(" + TOKEN_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", t.id(), t.secretSha256(), t.group(), t.createdBy(), t.createdAt(),
                t.expiresAt(), t.maxUses(), t.uses(), t.revokedAt()));
    }

    public Optional<EnrolmentToken> token(String id) {
        return db.read("read enrolment token", c -> Sql.list(c, "SELECT " + TOKEN_COLUMNS + " FROM enrolment_tokens WHERE id = ?",
                LiveAgents::token, id).stream().findFirst());
    }

    /** Every enrolment token, newest first. */
    public List<EnrolmentToken> tokens() {
        return db.read("read enrolment tokens", c -> Sql.list(c, "SELECT " + TOKEN_COLUMNS
                + " FROM enrolment_tokens ORDER BY created_at DESC", LiveAgents::token));
    }

    /**
     * Enrols an agent in one transaction: counts a use of the token if it still has one at
     * {@code now} (not revoked, not expired, uses left), binds the endpoint to the agent and, when
     * the token names a group that exists, adds the endpoint to it. The same agent (id, secret and
     * endpoint) enrolled already is enrolled "again" without using the token: an agent that did not
     * hear the answer asks again.
     *
     * @return "enrolled" or "again"; otherwise why not ("used up", "expired", "revoked", "unknown",
     *     "endpoint taken", "agent taken")
     */
    public String enrol(String tokenId, Agent agent, long now) {
        return db.write("enrol agent " + agent.agentId(), c -> {
            List<Agent> same = Sql.list(c, "SELECT " + AGENT_COLUMNS + " FROM agents WHERE agent_id = ?", LiveAgents::agent,
                    agent.agentId());
            if (!same.isEmpty()) {
                Agent known = same.getFirst();
                boolean again = java.security.MessageDigest.isEqual(known.secretSha256().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        agent.secretSha256().getBytes(java.nio.charset.StandardCharsets.US_ASCII)) && known.endpoint().equals(agent.endpoint())
                        && tokenId.equals(known.tokenId());
                return again ? "again" : "agent taken";
            }
            List<EnrolmentToken> found = Sql.list(c, "SELECT " + TOKEN_COLUMNS + " FROM enrolment_tokens WHERE id = ?",
                    LiveAgents::token, tokenId);
            if (found.isEmpty()) return "unknown";
            EnrolmentToken t = found.getFirst();
            if (t.revokedAt() != null) return "revoked";
            if (now >= t.expiresAt()) return "expired";
            if (t.uses() >= t.maxUses()) return "used up";
            if (!Sql.list(c, "SELECT 1 FROM agents WHERE endpoint = ?", rs -> 1, agent.endpoint()).isEmpty()) {
                return "endpoint taken";
            }
            Sql.update(c, "UPDATE enrolment_tokens SET uses = uses + 1 WHERE id = ?", tokenId);
            Sql.update(c, "INSERT INTO agents(" + AGENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                    agent.agentId(), agent.secretSha256(), agent.endpoint(), tokenId, agent.hostname(), agent.os(), agent.addresses(),
                    agent.agentVersion(), agent.storeEvents(), agent.freeDisk(), agent.enrolledAt(), agent.firstSeen(), agent.lastSeen());
            if (t.group() != null && !Sql.list(c, "SELECT 1 FROM computer_groups WHERE name = ?", rs -> 1, t.group()).isEmpty()) {
                Sql.update(c, "INSERT OR IGNORE INTO group_endpoints(group_name, endpoint) VALUES (?, ?)", t.group(), agent.endpoint());
            }
            Catalogue.upsertEndpoint(c, agent.endpoint(), agent.os(), agent.hostname(), null);
            return "enrolled";
        });
    }

    /** Whether an agent (revoked or not) is bound to {@code endpoint}. */
    public boolean bound(String endpoint) {
        return db.read("read the agent of " + endpoint, c -> !Sql.list(c, "SELECT 1 FROM agents WHERE endpoint = ?", rs -> 1, endpoint).isEmpty());
    }

    public Optional<Agent> agent(String agentId) {
        return db.read("read agent", c -> Sql.list(c, "SELECT " + AGENT_COLUMNS + " FROM agents WHERE agent_id = ?", LiveAgents::agent,
                agentId).stream().findFirst());
    }

    /** Every enrolled agent, by endpoint name. */
    public List<Agent> agents() {
        return db.read("read agents", c -> Sql.list(c, "SELECT " + AGENT_COLUMNS + " FROM agents ORDER BY endpoint", LiveAgents::agent));
    }

    /** What one heartbeat said, {@code at} epoch ms; {@code addressesJson} a JSON list of strings. */
    public record Heartbeat(String agentId, String os, String addressesJson, String agentVersion, long storeEvents, long freeDisk,
            long at) {}

    /**
     * Records a heartbeat: the agent's details now, last seen {@code at} (and first seen, the first time).
     *
     * @return false when the agent is not enrolled (any more) or revoked: nothing was recorded
     */
    public boolean heartbeat(String agentId, String os, String addressesJson, String agentVersion, long storeEvents, long freeDisk,
            long at) {
        return heartbeats(List.of(new Heartbeat(agentId, os, addressesJson, agentVersion, storeEvents, freeDisk, at))).isEmpty();
    }

    /**
     * Records many heartbeats in one transaction (one fsync for hundreds of agents).
     *
     * @return the agent ids of those not recorded: not enrolled (any more) or revoked
     */
    public java.util.Set<String> heartbeats(java.util.Collection<Heartbeat> beats) {
        if (beats.isEmpty()) return java.util.Set.of();
        return db.write("record heartbeats", c -> {
            java.util.Set<String> refused = new java.util.HashSet<>();
            try (java.sql.PreparedStatement st = c.prepareStatement("""
                    UPDATE agents SET os = ?, addresses = ?, agent_version = ?, store_events = ?, free_disk = ?,
                      first_seen = coalesce(first_seen, ?), last_seen = ? WHERE agent_id = ? AND revoked_at IS NULL""")) {
                for (Heartbeat h : beats) {
                    st.setString(1, h.os());
                    st.setString(2, h.addressesJson());
                    st.setString(3, h.agentVersion());
                    st.setLong(4, h.storeEvents());
                    st.setLong(5, h.freeDisk());
                    st.setLong(6, h.at());
                    st.setLong(7, h.at());
                    st.setString(8, h.agentId());
                    if (st.executeUpdate() != 1) refused.add(h.agentId());
                }
            }
            return refused;
        });
    }

    /**
     * Forgets the revoked agent bound to {@code endpoint}, so the name is free for another enrolment
     * (when the endpoint is purged). Returns the agents forgotten (0 or 1).
     */
    public int forgetRevoked(String endpoint) {
        return db.write("forget the revoked agent of " + endpoint,
                c -> Sql.update(c, "DELETE FROM agents WHERE endpoint = ? AND revoked_at IS NOT NULL", endpoint));
    }

    /** Revokes an enrolment token {@code at}; false when there is no such token or it was revoked already. */
    public boolean revokeToken(String id, long at) {
        return db.write("revoke enrolment token", c -> Sql.update(c,
                "UPDATE enrolment_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at, id)) == 1;
    }

    /**
     * Revokes an agent {@code at} by {@code by}: its endpoint stays bound to it (no other agent can
     * take the name), its secret no longer admits it. False when there is no such agent or it was revoked already.
     */
    public boolean revokeAgent(String agentId, String by, long at) {
        return db.write("revoke agent", c -> Sql.update(c,
                "UPDATE agents SET revoked_at = ?, revoked_by = ? WHERE agent_id = ? AND revoked_at IS NULL", at, by, agentId)) == 1;
    }

    /**
     * An analyst's live connection as listed (table {@code live_connections}): {@code state} attempted,
     * connected, failed or closed, since {@code since}, why; {@code catchupDone}/{@code catchupTotal} the
     * endpoint's catch-up figures when it was opened (null when none).
     */
    public record Connection(String id, String endpoint, String user, String state, long since, String reason, long opened,
            long lastActivity, Long catchupDone, Long catchupTotal) {}

    private static final String CONNECTION_COLUMNS = "id, endpoint, user_name, state, since, reason, opened, last_activity, catchup_done,"
            + " catchup_total";

    /** Adds or replaces a connection's row. */
    public void saveConnection(Connection k) {
        db.write("save live connection", c -> Sql.update(c, "INSERT OR REPLACE INTO live_connections(" + CONNECTION_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", k.id(), k.endpoint(), k.user(), k.state(), k.since(), k.reason(), k.opened(),
                k.lastActivity(), k.catchupDone(), k.catchupTotal()));
    }

    public void deleteConnection(String id) {
        db.write("delete live connection", c -> Sql.update(c, "DELETE FROM live_connections WHERE id = ?", id));
    }

    /** Every connection, oldest first. */
    public List<Connection> connections() {
        return db.read("read live connections", c -> Sql.list(c, "SELECT " + CONNECTION_COLUMNS + " FROM live_connections ORDER BY opened, id",
                rs -> new Connection(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6),
                        rs.getLong(7), rs.getLong(8), Sql.nullableLong(rs, 9), Sql.nullableLong(rs, 10))));
    }

    private static EnrolmentToken token(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new EnrolmentToken(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6),
                rs.getInt(7), rs.getInt(8), Sql.nullableLong(rs, 9));
    }

    private static Agent agent(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Agent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), Sql.nullableLong(rs, 9), Sql.nullableLong(rs, 10), rs.getLong(11),
                Sql.nullableLong(rs, 12), Sql.nullableLong(rs, 13), Sql.nullableLong(rs, 14), rs.getString(15));
    }
}
