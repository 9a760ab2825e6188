package trailhound.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import trailhound.store.LiveAgents;

/**
 * Live agents as the server admits them: enrolment tokens ({@code te_<id>_<secret>}, shown once, only
 * their SHA-256 kept), enrolment (a token use binds the endpoint name to a new agent id for good),
 * agent authentication by id and secret, heartbeats and the endpoint registry. Not to be confused
 * with API tokens ({@link Tokens}, {@code th_...}), which act as a user.
 *
 * <p>Every token made, every enrolment and every refused enrolment or authentication is audited
 * (actions {@code enrolment-token.create}, {@code agent.enrol}, {@code agent.authenticate}); refusals
 * count towards the per-address backoff shared with sign-ins. Thread-safe.
 */
public final class Agents {
    /** A listed enrolment token (never its secret); {@code group} null when none. */
    public record EnrolmentToken(String id, String group, String createdBy, Instant created, Instant expires, int maxUses, int uses,
            Instant revoked) {
        public boolean usable(Instant now) {
            return revoked == null && now.isBefore(expires) && uses < maxUses;
        }
    }

    /** A new enrolment token: {@code secret} is the whole value to give the agent ({@code --token}), shown once. */
    public record Created(EnrolmentToken token, String secret) {}

    /** What an enrolment or authentication came to. */
    public sealed interface Admission {
        /** Admitted: the agent's id, its endpoint, and whether this was an enrolment (else an authentication). */
        record Admitted(String agentId, String endpoint, boolean enrolled) implements Admission {}

        /** Refused: {@code code} "bad_token", "unknown_agent", "name_taken" or "busy", and a reason for the agent's log. */
        record Refused(String code, String reason) implements Admission {}
    }

    /** An enrolled endpoint as the registry shows it; {@code online}: a heartbeat in the last {@link #ONLINE_WITHIN}. */
    public record Endpoint(String name, String agentId, String hostname, String os, List<String> addresses, String agentVersion,
            Long storeEvents, Long freeDisk, Instant enrolled, Instant firstSeen, Instant lastSeen, boolean online) {}

    /**
     * An enrolled agent as administrators list it: its endpoint, the enrolment token it used, what its
     * last heartbeat said; {@code firstSeen}/{@code lastSeen} null before its first heartbeat,
     * {@code revoked}/{@code revokedBy} null unless revoked.
     */
    public record EnrolledAgent(String agentId, String endpoint, String hostname, String os, String agentVersion, String tokenId,
            Instant enrolled, Instant firstSeen, Instant lastSeen, boolean online, Instant revoked, String revokedBy) {}

    public static final Duration ONLINE_WITHIN = Duration.ofSeconds(30);
    public static final int MAX_USES = 100_000;
    /** The shortest validity of an enrolment token: time to paste it into one agent's command line. */
    public static final Duration MIN_VALIDITY = Duration.ofSeconds(30);
    /** Addresses kept from a heartbeat; more are left out. */
    static final int MAX_ADDRESSES = 64;
    private static final Pattern TOKEN = Pattern.compile("te_([a-z0-9]{16})_([A-Za-z0-9_-]{43})");
    private static final Pattern AGENT_ID = Pattern.compile("a[0-9a-f]{16}");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");
    /** Endpoint names an agent may ask for: a host name's characters, so folders and URLs need no escaping. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final LiveAgents store;
    private final trailhound.store.ComputerGroups groups;
    private final AuditLog audit;
    private final Clock clock;
    private final SignInThrottle throttle;

    Agents(LiveAgents store, trailhound.store.ComputerGroups groups, AuditLog audit, Clock clock, SignInThrottle throttle) {
        this.store = store;
        this.groups = groups;
        this.audit = audit;
        this.clock = clock;
        this.throttle = throttle;
    }

    /**
     * Makes an enrolment token valid for {@code validFor} and {@code uses} enrolments; endpoints that
     * enrol with it join computer group {@code group} (may be null).
     *
     * @throws AccessDeniedException unless {@code by} is an administrator not acting through an API token
     * @throws AccessException for a validity outside 30 seconds..366 days, uses outside 1..{@value #MAX_USES}, or a
     *     group that does not exist (its endpoints would join no group, unseen by the analysts meant to see them)
     */
    public Created create(Caller by, String group, Duration validFor, int uses) {
        Credentials.requireNotToken(by, audit, "enrolment-token.create", "create enrolment tokens", "bin/trailhound tokens create");
        if (!by.role().allows(Action.ADMINISTER)) throw AccessDeniedException.of(by, Action.ADMINISTER);
        if (validFor.compareTo(MIN_VALIDITY) < 0 || validFor.compareTo(Duration.ofDays(Tokens.MAX_DAYS)) > 0) {
            throw new AccessException("an enrolment token is valid for " + MIN_VALIDITY.toSeconds() + " seconds to " + Tokens.MAX_DAYS
                    + " days, not " + validFor.toSeconds() + " seconds");
        }
        if (uses < 1 || uses > MAX_USES) throw new AccessException("an enrolment token allows 1 to " + MAX_USES + " uses, not " + uses);
        if (group != null && groups.find(group).isEmpty()) {
            throw new AccessException("no computer group '" + group + "': make it first (groups add, or the Groups page), or give no group");
        }
        String id = Secrets.id();
        String secret = Secrets.secret();
        long now = clock.millis();
        LiveAgents.EnrolmentToken t = new LiveAgents.EnrolmentToken(id, Secrets.sha256(secret), group, by.user(), now,
                now + validFor.toMillis(), uses, 0, null);
        store.insertToken(t);
        audit.record(by, "enrolment-token.create", null, AuditLog.OK, id + ": " + uses + " use(s), expires "
                + Instant.ofEpochMilli(t.expiresAt()) + (group == null ? "" : ", group " + group));
        return new Created(token(t), "te_" + id + "_" + secret);
    }

    /** Every enrolment token, newest first. */
    public List<EnrolmentToken> tokens() {
        return store.tokens().stream().map(Agents::token).toList();
    }

    /**
     * Revokes an enrolment token: no agent enrols with it any more (agents that enrolled with it stay
     * enrolled). Audited ({@code enrolment-token.revoke}).
     *
     * @throws AccessDeniedException unless {@code by} is an administrator not acting through an API token
     * @throws AccessException when there is no such token or it is revoked already
     */
    public void revokeToken(Caller by, String id) {
        Credentials.requireNotToken(by, audit, "enrolment-token.revoke", "revoke enrolment tokens", "bin/trailhound tokens revoke");
        if (!by.role().allows(Action.ADMINISTER)) throw AccessDeniedException.of(by, Action.ADMINISTER);
        if (!store.revokeToken(String.valueOf(id), clock.millis())) {
            throw new AccessException("no enrolment token '" + id + "' to revoke (revoked already, or see the ids in bin/trailhound tokens"
                    + " --kind enrolment)");
        }
        audit.record(by, "enrolment-token.revoke", null, AuditLog.OK, id);
    }

    /** Every enrolled agent, revoked ones too, by endpoint name. */
    public List<EnrolledAgent> agents() {
        flushHeartbeats();
        Instant now = clock.instant();
        return store.agents().stream().map(a -> {
            Endpoint e = endpoint(a, now);
            return new EnrolledAgent(a.agentId(), a.endpoint(), a.hostname(), a.os(), a.agentVersion(), a.tokenId(), e.enrolled(),
                    e.firstSeen(), e.lastSeen(), e.online(), a.revokedAt() == null ? null : Instant.ofEpochMilli(a.revokedAt()),
                    a.revokedBy());
        }).toList();
    }

    /**
     * Revokes an agent: its secret no longer authenticates, and its open connection is closed (at
     * once on this server through {@link #onRevoke}; by a server in another process at the agent's
     * next heartbeat, within 10 s). Its endpoint and events stay, and stay bound to it: no other agent
     * takes the name. Audited ({@code agent.revoke}).
     *
     * @throws AccessDeniedException unless {@code by} is an administrator not acting through an API token
     * @throws AccessException when there is no such agent or it is revoked already
     */
    public void revokeAgent(Caller by, String agentId) {
        Credentials.requireNotToken(by, audit, "agent.revoke", "revoke agents", "bin/trailhound agents revoke");
        if (!by.role().allows(Action.ADMINISTER)) throw AccessDeniedException.of(by, Action.ADMINISTER);
        Optional<LiveAgents.Agent> agent = agentId == null ? Optional.empty() : store.agent(agentId);
        if (agent.isEmpty() || !store.revokeAgent(agentId, by.user(), clock.millis())) {
            throw new AccessException("no agent '" + agentId + "' to revoke (revoked already, or see the ids in bin/trailhound agents)");
        }
        audit.record(by, "agent.revoke", agent.get().endpoint(), AuditLog.OK, "agent " + agentId);
        for (java.util.function.Consumer<String> listener : revokeListeners) listener.accept(agentId);
    }

    /** Called with an agent's id when it is revoked here (the server closes its connection). */
    public void onRevoke(java.util.function.Consumer<String> listener) {
        revokeListeners.add(listener);
    }

    private final List<java.util.function.Consumer<String>> revokeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Enrols an agent with an enrolment token: the identity it made ({@code agentId}, {@code secret};
     * only the secret's SHA-256 is kept) and the endpoint {@code name} bound to it. The same agent
     * asking again (it did not hear the answer) is admitted again without using the token again.
     * Refused (and audited) for a malformed, unknown, wrong, revoked, expired or used-up token, a name
     * that is not a host name or that another agent holds, a malformed identity or one another agent holds.
     */
    public Admission enrol(String token, String name, String hostname, String os, String agentId, String secret, String address) {
        SignInThrottle.Verdict verdict = throttle.check(null, address);
        if (verdict.seconds() > 0) return new Admission.Refused("busy", "too many refused attempts from " + address
                + "; try again in " + verdict.seconds() + " s");
        Matcher m = token == null ? null : TOKEN.matcher(token.strip());
        String asked = name != null && NAME.matcher(name).matches() ? name : null; // the audit's endpoint column: only a real name
        if (m == null || !m.matches()) return refusedEnrol("", asked, address, "bad_token", "malformed enrolment token (expected te_<id>_<secret>,"
                + " as printed by bin/trailhound tokens create)");
        String id = m.group(1);
        Optional<LiveAgents.EnrolmentToken> stored = store.token(id);
        if (stored.isEmpty() || !Secrets.matches(stored.get().secretSha256(), m.group(2))) {
            return refusedEnrol(id, asked, address, "bad_token", "unknown enrolment token " + id + ": check --token, or make a new one with"
                    + " bin/trailhound tokens create --data DIR");
        }
        if (name == null || !NAME.matcher(name).matches()) {
            return refusedEnrol(id, asked, address, "bad_message", "endpoint name '" + name + "' is not a host name (1 to 128 letters, digits,"
                    + " '.', '_', '-'): choose one with --name");
        }
        if (agentId == null || !AGENT_ID.matcher(agentId).matches() || secret == null || !SECRET.matcher(secret).matches()) {
            return refusedEnrol(id, asked, address, "bad_message", "an agent identity is 'a' and 16 hex digits and a 43-character"
                    + " base64url secret; this agent sent another: upgrade it");
        }
        long now = clock.millis();
        String outcome = store.enrol(id, new LiveAgents.Agent(agentId, Secrets.sha256(secret), name, id, hostname, os, null, null, null,
                null, now, null, null, null, null), now);
        if (!outcome.equals("enrolled") && !outcome.equals("again")) {
            return switch (outcome) {
                case "agent taken" -> refusedEnrol(id, asked, address, "agent_taken", "agent id " + agentId + " is enrolled already, with"
                        + " another secret or endpoint: delete the agent's state folder and enrol again");
                case "endpoint taken" -> refusedEnrol(id, asked, address, "name_taken", "endpoint '" + name + "' belongs to another agent;"
                        + " enrol under another name (--name)");
                case "used up" -> refusedEnrol(id, asked, address, "bad_token", "enrolment token " + id + " has been used up: make a new one"
                        + " with bin/trailhound tokens create --data DIR");
                default -> refusedEnrol(id, asked, address, "bad_token", "enrolment token " + id + " is " + outcome
                        + ": make a new one with bin/trailhound tokens create --data DIR");
            };
        }
        audit.recordAgent("agent:" + agentId, address, "agent.enrol", name, AuditLog.OK,
                "endpoint " + name + " bound to agent " + agentId + " with enrolment token " + id + " (" + hostname + ", " + os + ")"
                + (outcome.equals("again") ? "; asked again by the same agent, the token not used again" : ""));
        return new Admission.Admitted(agentId, name, true);
    }

    /** Admits an enrolled agent by its id and secret; refusals are audited. */
    public Admission authenticate(String agentId, String secret, String address) {
        // per agent id first: agents behind one NAT share an address, and one failing must not hold the others back
        String name = "agent:" + AuditLog.cut(String.valueOf(agentId), 64);
        SignInThrottle.Verdict verdict = throttle.check(name, address);
        if (verdict.seconds() > 0) return new Admission.Refused("busy", "too many refused attempts from " + address
                + " or for agent " + agentId + "; try again in " + verdict.seconds() + " s");
        Optional<LiveAgents.Agent> agent = agentId == null ? Optional.empty() : store.agent(agentId);
        if (agent.isPresent() && agent.get().revokedAt() != null && secret != null && Secrets.matches(agent.get().secretSha256(), secret)) {
            // the agent proved who it is: no guessing to slow down, and no reason to hold back its neighbours
            String reason = revokedReason(agent.get());
            audit.recordAgent("agent:" + agentId, address, "agent.authenticate", agent.get().endpoint(), AuditLog.FAILED, reason);
            return new Admission.Refused("unknown_agent", reason);
        }
        if (agent.isEmpty() || secret == null || !Secrets.matches(agent.get().secretSha256(), secret)) {
            throttle.failed(name, address);
            String reason = "unknown agent '" + agentId + "' or wrong secret: this server has not enrolled it (another server, or its"
                    + " data folder was replaced); delete the agent's state folder and enrol again with a new --token";
            audit.recordAgent("agent:" + agentId, address, "agent.authenticate", agent.map(LiveAgents.Agent::endpoint).orElse(null),
                    AuditLog.FAILED, reason);
            return new Admission.Refused("unknown_agent", reason);
        }
        return new Admission.Admitted(agentId, agent.get().endpoint(), false);
    }

    /** Why a revoked agent is refused: by whom, when, and what to do. */
    static String revokedReason(LiveAgents.Agent a) {
        return "agent " + a.agentId() + " (endpoint " + a.endpoint() + ") was revoked by " + a.revokedBy() + " at "
                + Instant.ofEpochMilli(a.revokedAt()) + ": its secret no longer admits it; to enrol this machine again, delete the"
                + " agent's state folder and enrol with a new --token under another --name";
    }

    /**
     * Why an agent may not go on, when it may not (revoked or no longer enrolled): for a connection
     * that was admitted before (its heartbeat found it revoked).
     */
    public Optional<String> refusal(String agentId) {
        Optional<LiveAgents.Agent> a = store.agent(agentId);
        if (a.isEmpty()) return Optional.of("agent " + agentId + " is no longer enrolled on this server");
        return a.get().revokedAt() == null ? Optional.empty() : Optional.of(revokedReason(a.get()));
    }

    /**
     * Records a heartbeat of an authenticated agent.
     *
     * @return false when the agent has been revoked meanwhile (nothing recorded): close its connection
     */
    public boolean heartbeat(String agentId, String os, List<String> addresses, String agentVersion, long storeEvents, long freeDisk) {
        // what an agent says is an attacker's: a bounded number of bounded addresses
        List<String> kept = addresses.stream().limit(MAX_ADDRESSES).map(a -> AuditLog.cut(a, 64)).toList();
        String json;
        try {
            json = JSON.writeValueAsString(kept);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        LiveAgents.Heartbeat beat = new LiveAgents.Heartbeat(agentId, AuditLog.cut(os, AuditLog.MAX_NAME), json,
                AuditLog.cut(agentVersion, AuditLog.MAX_NAME), storeEvents, freeDisk, clock.millis());
        if (recorded.add(agentId)) {
            // an agent's first heartbeat here is written at once, so the registry shows it online
            if (store.heartbeat(beat.agentId(), beat.os(), beat.addressesJson(), beat.agentVersion(), beat.storeEvents(), beat.freeDisk(),
                    beat.at())) return true;
            recorded.remove(agentId);
            return false;
        }
        if (refusedAtFlush.remove(agentId)) {
            recorded.remove(agentId);
            return false;
        }
        unsaved.put(agentId, beat);
        if (clock.millis() - flushedAt >= HEARTBEAT_FLUSH.toMillis()) flushHeartbeats();
        return true;
    }

    /*
     * Why heartbeats wait: 200 agents each every 10 s were 20 fsync'd server.db transactions a second,
     * and beside the audit trail they ran server.db's busy timeout out (bench --live,
     * docs/performance.md). Later heartbeats of an agent are kept here and written together at most
     * every HEARTBEAT_FLUSH, and before anything reads the registry; a revocation made elsewhere (the
     * CLI) is noticed at that write and refused at the agent's next heartbeat.
     */
    static final Duration HEARTBEAT_FLUSH = Duration.ofSeconds(5);
    private final java.util.Map<String, LiveAgents.Heartbeat> unsaved = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<String> recorded = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> refusedAtFlush = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile long flushedAt;

    /** Writes the heartbeats kept since the last write, in one transaction. */
    public void flushHeartbeats() {
        synchronized (unsaved) {
            flushedAt = clock.millis();
            if (unsaved.isEmpty()) return;
            List<LiveAgents.Heartbeat> beats = new java.util.ArrayList<>(unsaved.values());
            for (LiveAgents.Heartbeat b : beats) unsaved.remove(b.agentId(), b);
            refusedAtFlush.addAll(store.heartbeats(beats));
        }
    }

    /**
     * The enrolled endpoints the caller may see, by name; those whose name, host name or an address
     * contains {@code q} (case-insensitive) when {@code q} is not blank.
     */
    public List<Endpoint> endpoints(Scope scope, String q) {
        flushHeartbeats();
        String needle = q == null ? "" : q.strip().toLowerCase(java.util.Locale.ROOT);
        Instant now = clock.instant();
        return store.agents().stream().filter(a -> scope.sees(a.endpoint())).map(a -> endpoint(a, now))
                .filter(e -> needle.isEmpty() || e.name().toLowerCase(java.util.Locale.ROOT).contains(needle)
                        || (e.hostname() != null && e.hostname().toLowerCase(java.util.Locale.ROOT).contains(needle))
                        || e.addresses().stream().anyMatch(ip -> ip.contains(needle)))
                .toList();
    }

    /**
     * Checks that the caller may open a live connection to {@code name} and audits it ({@code live.connect}).
     *
     * @return the endpoint as the registry shows it now (online or not)
     * @throws trailhound.index.UnknownEndpointException (404) when the caller does not see it or no agent
     *     is enrolled under it (outside the caller's groups: audited as denied too)
     */
    public Endpoint connect(Scope scope, String name) {
        flushHeartbeats();
        scope.endpoint(name); // 404 (audited) when outside the caller's groups
        Optional<LiveAgents.Agent> agent = store.agents().stream().filter(a -> a.endpoint().equals(name)).findFirst();
        if (agent.isEmpty()) throw new trailhound.index.UnknownEndpointException(name);
        Endpoint e = endpoint(agent.get(), clock.instant());
        audit.record(scope.caller(), "live.connect", name, AuditLog.OK, e.online() ? "online" : "offline"
                + (e.lastSeen() == null ? ", never seen" : " since " + e.lastSeen()));
        return e;
    }

    /** The endpoint an agent id is bound to, when it is enrolled (no access check: for the server's own use). */
    public Optional<String> endpointOf(String agentId) {
        return store.agent(agentId).map(LiveAgents.Agent::endpoint);
    }

    /**
     * Whether an agent (revoked or not) is bound to the endpoint: pages offer their live-only actions
     * there. Reads only (the heartbeats kept in memory are not written for it).
     */
    public boolean bound(String endpoint) {
        return store.bound(endpoint);
    }

    /** The endpoint's registry entry, when an agent is enrolled under it (no access check: for the server's own use). */
    public Optional<Endpoint> endpoint(String name) {
        flushHeartbeats();
        Instant now = clock.instant();
        return store.agents().stream().filter(a -> a.endpoint().equals(name)).findFirst().map(a -> endpoint(a, now));
    }

    /**
     * Audits the end of a live connection ({@code live.disconnect}): closed by {@code by} (null: by the
     * server, e.g. after the idle time) for {@code reason}.
     */
    public void disconnected(Caller by, String endpoint, String reason) {
        if (by == null) audit.recordAnonymous("server", "server", null, "live.disconnect", AuditLog.OK, endpoint + ": " + reason);
        else audit.record(by, "live.disconnect", endpoint, AuditLog.OK, reason);
    }

    /** Keeps a live connection's row (the Live endpoints list), so that it survives a restart (no access check: the server's own). */
    public void saveConnection(LiveAgents.Connection c) {
        store.saveConnection(c);
    }

    /** Forgets a live connection's row (no access check: the server's own). */
    public void deleteConnection(String id) {
        store.deleteConnection(id);
    }

    /** The kept live connections, oldest first (no access check: the server's own, at its start). */
    public List<LiveAgents.Connection> connections() {
        return store.connections();
    }

    private static Endpoint endpoint(LiveAgents.Agent a, Instant now) {
        List<String> addresses = List.of();
        if (a.addresses() != null) {
            try {
                addresses = List.of(JSON.readValue(a.addresses(), String[].class));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                addresses = List.of();
            }
        }
        Instant last = a.lastSeen() == null ? null : Instant.ofEpochMilli(a.lastSeen());
        return new Endpoint(a.endpoint(), a.agentId(), a.hostname(), a.os(), addresses, a.agentVersion(), a.storeEvents(), a.freeDisk(),
                Instant.ofEpochMilli(a.enrolledAt()), a.firstSeen() == null ? null : Instant.ofEpochMilli(a.firstSeen()), last,
                last != null && now.isBefore(last.plus(ONLINE_WITHIN)));
    }

    private Admission refusedEnrol(String tokenId, String endpoint, String address, String code, String reason) {
        throttle.failed(null, address);
        audit.recordAgent("", address, "agent.enrol", endpoint, AuditLog.FAILED, reason);
        return new Admission.Refused(code, reason);
    }



    private static EnrolmentToken token(LiveAgents.EnrolmentToken t) {
        return new EnrolmentToken(t.id(), t.group(), t.createdBy(), Instant.ofEpochMilli(t.createdAt()), Instant.ofEpochMilli(t.expiresAt()),
                t.maxUses(), t.uses(), t.revokedAt() == null ? null : Instant.ofEpochMilli(t.revokedAt()));
    }
}
