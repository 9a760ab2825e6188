package trailhound.web.live;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import trailhound.access.Access;
import trailhound.access.Agents;
import trailhound.access.Scope;
import trailhound.index.UnknownEndpointException;
import trailhound.ingest.LiveIngest;
import trailhound.ingest.Positions;

/*
 * Connections are kept in memory and written through to server.db (table live_connections) at every
 * change of state, so that a server restart keeps the list: an open connection comes back attempted
 * ("the server restarted"), and connected again when its agent reconnects; the idle time starts again
 * at the restart (the server's downtime is no analyst's inactivity). Activity alone (every analyst
 * request) is not written. One row per analyst and endpoint: connecting again reuses it.
 *
 * An endpoint streams while any of its connections is attempted or connected, or while it is in a
 * computer group set to stream: `wanted(endpoint)`, which the agent socket asks at admission, at
 * every heartbeat (group changes made by the CLI reach agents within 10 s) and when a connection
 * here changes.
 */

/**
 * Analysts' live connections to endpoints: each {@link State#ATTEMPTED attempted}, {@link
 * State#CONNECTED connected}, {@link State#FAILED failed} or {@link State#CLOSED closed}, with the time
 * of its last change and a reason; listed until deleted. A connection closes after {@code idle} without
 * analyst activity on its endpoint ({@link #activity}: searches, process pages; not a page's automatic
 * polling). Only endpoints the caller sees can be connected to or listed (the access layer checks and
 * audits: {@code live.connect}, {@code live.disconnect}). Thread-safe.
 */
public final class LiveConnections implements AutoCloseable {
    /** Where a connection stands. */
    public enum State {
        ATTEMPTED, CONNECTED, FAILED, CLOSED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean open() {
            return this == ATTEMPTED || this == CONNECTED;
        }
    }

    /** The catch-up of the endpoint's waiting events: {@code done} of {@code total}, {@code running} until all arrived. */
    public record Catchup(long done, long total, boolean running) {}

    /** A connection as listed; {@code catchup} null when no catch-up ran since it was opened (an earlier one's figures are not its own). */
    public record View(String id, String endpoint, String user, State state, Instant since, String reason, Instant opened,
            Instant lastActivity, Catchup catchup, long journalEvents) {}

    private static final class Entry {
        final String id;
        final String endpoint;
        final String user;
        Instant opened;
        /** The endpoint's catch-up figures when this connection opened: shown as none until a catch-up of its own moves them. */
        Long baselineDone;
        Long baselineTotal;
        State state;
        Instant since;
        String reason;
        Instant lastActivity;

        Entry(String id, String endpoint, String user, Instant opened) {
            this.id = id;
            this.endpoint = endpoint;
            this.user = user;
            this.opened = opened;
            this.lastActivity = opened;
        }

        void set(State s, Instant at, String why) {
            state = s;
            since = at;
            reason = why;
        }
    }

    private final Access access;
    private final LiveIngest live;
    private final Clock clock;
    private final Duration idle;
    private final Map<String, Entry> byId = new LinkedHashMap<>();
    private final ScheduledExecutorService sweeper;
    private volatile AgentSocket socket;

    /** The connections kept before a restart: open ones wait for their agent again, the idle time counted from now. */
    private void restore() {
        Instant now = clock.instant();
        for (trailhound.store.LiveAgents.Connection row : access.agents().connections()) {
            Entry e = new Entry(row.id(), row.endpoint(), row.user(), Instant.ofEpochMilli(row.opened()));
            State state = State.valueOf(row.state().toUpperCase(java.util.Locale.ROOT));
            e.set(state, Instant.ofEpochMilli(row.since()), row.reason());
            e.lastActivity = Instant.ofEpochMilli(row.lastActivity());
            e.baselineDone = row.catchupDone();
            e.baselineTotal = row.catchupTotal();
            if (state.open()) {
                e.set(State.ATTEMPTED, now, "the server restarted at " + now + "; waiting for the agent to reconnect, which it does within"
                        + " 60 s when the endpoint is up");
                e.lastActivity = now;
                save(e);
            }
            byId.put(e.id, e);
        }
    }

    /** Writes the connection's row; a failure is logged, the connection itself goes on. */
    private void save(Entry e) {
        try {
            access.agents().saveConnection(new trailhound.store.LiveAgents.Connection(e.id, e.endpoint, e.user, e.state.label(),
                    e.since.toEpochMilli(), e.reason, e.opened.toEpochMilli(), e.lastActivity.toEpochMilli(), e.baselineDone, e.baselineTotal));
        } catch (RuntimeException ex) {
            System.err.println("trailhound: cannot keep live connection " + e.id + " in server.db (" + ex.getMessage()
                    + "); it is listed until a restart");
        }
    }

    /** @param idle how long a connection stays open without analyst activity on its endpoint */
    public LiveConnections(Access access, LiveIngest live, Clock clock, Duration idle) {
        if (idle.isNegative() || idle.isZero()) throw new IllegalArgumentException("the live idle time must be positive, was " + idle);
        this.access = access;
        this.live = live;
        this.clock = clock;
        this.idle = idle;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("live-idle").unstarted(r));
        long every = Math.max(100, Math.min(1_000, idle.toMillis() / 10));
        restore();
        sweeper.scheduleWithFixedDelay(this::closeIdle, every, every, TimeUnit.MILLISECONDS);
    }

    public Duration idle() {
        return idle;
    }

    void attach(AgentSocket agentSocket) {
        this.socket = agentSocket;
    }

    /**
     * Opens a connection to each endpoint (checked and audited one by one).
     *
     * @throws UnknownEndpointException (404) for the first endpoint the caller does not see or that has
     *     no agent; none is opened then
     */
    public List<View> connect(Scope scope, List<String> endpoints) {
        for (String name : endpoints) { // all or none: a 404 before anything is opened or audited as opened
            scope.endpoint(name);
            if (access.agents().endpoint(name).isEmpty()) throw new UnknownEndpointException(name);
        }
        List<Agents.Endpoint> found = new ArrayList<>();
        for (String name : endpoints) found.add(access.agents().connect(scope, name));
        List<View> out = new ArrayList<>();
        for (Agents.Endpoint e : found) {
            Entry entry;
            Optional<String> revoked = access.agents().refusal(e.agentId());
            Optional<Positions> before = positions(e.name());
            synchronized (this) {
                Instant now = clock.instant();
                String user = scope.caller().user();
                entry = byId.values().stream().filter(x -> x.user.equals(user) && x.endpoint.equals(e.name())).findFirst().orElse(null);
                if (entry == null) { // the same analyst connecting again to the same endpoint reuses their row
                    entry = new Entry("c" + HexFormat.of().toHexDigits(java.util.concurrent.ThreadLocalRandom.current().nextLong()),
                            e.name(), user, now);
                    byId.put(entry.id, entry);
                }
                entry.opened = now;
                entry.lastActivity = now;
                boolean running = before.map(Positions::catchingUp).orElse(false);
                entry.baselineDone = before.isEmpty() || running ? null : before.get().catchupDone();
                entry.baselineTotal = before.isEmpty() || running ? null : before.get().catchupTotal();
                entry.set(State.ATTEMPTED, now, "asking the agent to send its events");
                Optional<Integer> protocol = socket == null ? Optional.empty() : socket.protocolOf(e.name());
                if (revoked.isPresent()) {
                    entry.set(State.FAILED, now, "the endpoint's agent cannot connect: " + revoked.get());
                } else if (protocol.isPresent()) {
                    entry.set(State.CONNECTED, now, protocol.get() < trailhound.protocol.Protocol.ON_DEMAND
                            ? "the agent speaks protocol " + protocol.get() + ", which sends events whenever connected; upgrade it to"
                                    + " send only while an analyst is connected"
                            : "the agent sends what the server has not seen, newest first, then new events as they happen");
                } else if (!e.online() && refusal(e).isPresent()) {
                    AgentSocket.Refusal r = refusal(e).get();
                    entry.set(State.FAILED, now, "the endpoint is offline" + (e.lastSeen() == null ? "" : " since " + e.lastSeen())
                            + "; at " + r.at() + " the server " + r.reason());
                } else if (!e.online()) {
                    entry.set(State.FAILED, now, "the endpoint is offline" + (e.lastSeen() == null ? " (its agent never connected)"
                            : " since " + e.lastSeen() + " (no heartbeat since)") + ": check that its agent runs (systemctl status"
                            + " trailhound-agent) and can reach this server, then connect again");
                } else {
                    entry.reason = "the endpoint is online but its agent is not connected to this server now; it reconnects within"
                            + " 60 s, and the connection then opens";
                }
                save(entry);
            }
            if (socket != null) socket.reconsider(e.name());
            out.add(view(entry));
        }
        return out;
    }

    private Optional<AgentSocket.Refusal> refusal(Agents.Endpoint e) {
        return socket == null ? Optional.empty() : socket.lastRefusal(e.name(), e.addresses());
    }

    /** The connections on endpoints the caller sees, oldest first. */
    public List<View> list(Scope scope) {
        List<Entry> entries;
        synchronized (this) {
            entries = new ArrayList<>(byId.values());
        }
        return entries.stream().filter(e -> scope.sees(e.endpoint)).map(this::view).toList();
    }

    /**
     * Closes (when open) and removes a connection; audited.
     *
     * @return false when there is no such connection the caller may see
     */
    public boolean delete(Scope scope, String id) {
        Entry e;
        synchronized (this) {
            e = byId.get(id);
        }
        if (e == null || !scope.sees(e.endpoint)) return false;
        synchronized (this) {
            byId.remove(id);
        }
        try {
            access.agents().deleteConnection(id);
        } catch (RuntimeException ex) {
            System.err.println("trailhound: cannot remove live connection " + id + " from server.db: " + ex.getMessage());
        }
        access.agents().disconnected(scope.caller(), e.endpoint, "connection " + id + " deleted" + (e.state.open() ? " (it was open)" : ""));
        if (socket != null) socket.reconsider(e.endpoint);
        return true;
    }

    /** The connection {@code id} on an endpoint the caller sees; empty when none. */
    public Optional<View> find(Scope scope, String id) {
        Entry e;
        synchronized (this) {
            e = byId.get(id);
        }
        return e == null || !scope.sees(e.endpoint) ? Optional.empty() : Optional.of(view(e));
    }

    /**
     * Refuses (403, audited {@code live.connection.use}) acting through another user's connection {@code v}:
     * a connection is its user's (the Live endpoints page lists it as theirs, their activity keeps it open, they
     * close it), and one id leaked in a link or a log must not let another act through it. The pages open the
     * caller's own (see {@link #openOn}); the API asks the same.
     */
    public static void requireOwn(Scope scope, View v) {
        if (v.user().equals(scope.caller().user())) return;
        scope.audit("live.connection.use", v.endpoint(), trailhound.access.AuditLog.DENIED, "connection " + v.id() + " of " + v.user());
        throw new io.javalin.http.ForbiddenResponse("live connection " + v.id() + " is " + v.user() + "'s: open your own (Connect on"
                + " Live endpoints, or POST /api/v1/live/connections with {\"endpoints\": [\"" + v.endpoint() + "\"]})");
    }

    /** The caller's newest open connection on the endpoint, if any. */
    public Optional<View> openOn(Scope scope, String endpoint) {
        List<Entry> entries;
        synchronized (this) {
            // the caller's own only: an administrator following a grid's folder icon must not act through, and be audited
            // as, a read-only user's connection
            String user = scope.caller().user();
            entries = byId.values().stream().filter(e -> e.endpoint.equals(endpoint) && e.user.equals(user) && e.state.open()).toList();
        }
        return entries.isEmpty() || !scope.sees(endpoint) ? Optional.empty() : Optional.of(view(entries.getLast()));
    }

    /** An analyst's request about the endpoint (a search, a process page): its open connections stay open. */
    public void activity(String endpoint) {
        synchronized (this) {
            Instant now = clock.instant();
            for (Entry e : byId.values()) if (e.endpoint.equals(endpoint) && e.state.open()) e.lastActivity = now;
        }
    }

    /** The events the endpoint's journal holds (0 when none). */
    public long journalEvents(String endpoint) throws IOException {
        return live.journalEvents(endpoint);
    }

    /** Whether an open connection on the endpoint exists. */
    public synchronized boolean connected(String endpoint) {
        return byId.values().stream().anyMatch(e -> e.endpoint.equals(endpoint) && e.state.open());
    }

    /** Whether the endpoint's agent should send events now: an open connection, or a group set to stream. */
    boolean wanted(String endpoint) {
        return connected(endpoint) || access.groups().streams(endpoint);
    }

    /** The endpoint's agent was admitted: its attempted connections are connected. */
    void agentConnected(String endpoint, int protocol) {
        synchronized (this) {
            Instant now = clock.instant();
            for (Entry e : byId.values()) {
                if (e.endpoint.equals(endpoint) && e.state == State.ATTEMPTED) {
                    e.set(State.CONNECTED, now, "the agent (re)connected at " + now + " and sends what the server has not seen");
                    save(e);
                }
            }
        }
    }

    /** The endpoint's agent went away: its connected connections wait for it (attempted). */
    void agentDisconnected(String endpoint, String why) {
        synchronized (this) {
            Instant now = clock.instant();
            for (Entry e : byId.values()) {
                if (e.endpoint.equals(endpoint) && e.state == State.CONNECTED) {
                    e.set(State.ATTEMPTED, now, "the agent disconnected at " + now + " (" + why + "); waiting for it to reconnect,"
                            + " which it does within 60 s when the endpoint is up");
                    save(e);
                }
            }
        }
    }

    private void closeIdle() {
        List<Entry> closed = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            for (Entry e : byId.values()) {
                if (e.state.open() && !now.isBefore(e.lastActivity.plus(idle))) {
                    e.set(State.CLOSED, now, "closed after " + human(idle) + " without analyst activity on " + e.endpoint
                            + " (searches, process pages); connect again to resume");
                    save(e);
                    closed.add(e);
                }
            }
        }
        for (Entry e : closed) {
            try {
                access.agents().disconnected(null, e.endpoint, "connection " + e.id + " of " + e.user + " closed after " + human(idle)
                        + " without analyst activity");
                if (socket != null) socket.reconsider(e.endpoint);
            } catch (RuntimeException ex) {
                System.err.println("trailhound: closing idle live connection " + e.id + ": " + ex.getMessage());
            }
        }
    }

    private View view(Entry e) {
        Catchup catchup = null;
        long events = 0;
        Long baselineDone;
        Long baselineTotal;
        synchronized (this) {
            baselineDone = e.baselineDone;
            baselineTotal = e.baselineTotal;
        }
        try {
            Optional<Positions> p = live.positions(e.endpoint);
            if (p.isPresent()) {
                Positions positions = p.get();
                boolean earlier = !positions.catchingUp() && baselineDone != null && baselineDone == positions.catchupDone()
                        && baselineTotal != null && baselineTotal == positions.catchupTotal();
                if (!earlier) catchup = new Catchup(positions.catchupDone(), positions.catchupTotal(), positions.catchingUp());
                events = live.journalEvents(e.endpoint);
            }
        } catch (IOException ex) {
            // the journal cannot be read now: no progress shown; the connection itself is unaffected
        }
        synchronized (this) {
            return new View(e.id, e.endpoint, e.user, e.state, e.since, e.reason, e.opened, e.lastActivity, catchup, events);
        }
    }

    private Optional<Positions> positions(String endpoint) {
        try {
            return live.positions(endpoint);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s % 60 == 0) return (s / 60) + (s == 60 ? " minute" : " minutes");
        return s + (s == 1 ? " second" : " seconds");
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
