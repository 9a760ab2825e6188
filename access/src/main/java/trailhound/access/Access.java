package trailhound.access;

import java.time.Clock;
import java.util.function.Consumer;
import trailhound.ingest.DataDir;

/**
 * Who may see and do what on a data folder: the one public entry of module {@code access}.
 *
 * <pre>{@code
 * Access access = Access.over(data, Clock.systemUTC());
 * Accounts.SignIn result = access.accounts().signIn("ana", password, "10.0.0.9", "web");
 * Scope scope = access.scope(caller);          // per request
 * scope.require(Action.EXPORT);                // 403 for read-only users
 * try (var lease = scope.index("WS-FIN-01")) { ... }   // 404 for endpoints outside ana's groups
 * }</pre>
 *
 * <p>Users have a {@link Role} and are granted computer {@link Groups}; administrators see every
 * endpoint. Every change and every look that matters lands in the {@link AuditLog}. Opening it puts the
 * audit trail's triggers back when someone removed them, with an entry and a warning saying so.
 * Thread-safe; the data folder stays the caller's to close.
 */
public final class Access {
    private final DataDir data;
    private final AuditLog audit;
    private final Accounts accounts;
    private final Groups groups;
    private final Tokens tokens;
    private final Clock clock;
    private final Agents agents;
    private final Sessions sessions;
    private final Alerts alerts;
    private final PolicyBook policies;

    private Access(DataDir data, Clock clock, Consumer<String> warnings) {
        this.data = data;
        this.clock = clock;
        this.audit = new AuditLog(data.store().audit(), clock);
        audit.restoreTriggers().ifPresent(entry -> warnings.accept("trailhound: " + data.store().file() + ": " + entry.event().detail()
                + " (audit entry " + entry.seq() + "); check it with `trailhound audit verify` and against a copy of the newest hash"
                + " kept elsewhere"));
        java.util.List<String> dropped = data.store().dropForeignTriggers();
        if (!dropped.isEmpty()) {
            String what = "triggers Trailhound did not make were removed: " + String.join(", ", dropped)
                    + " (a trigger can undo what Trailhound writes, e.g. un-revoke a token)";
            audit.record(new Caller(Accounts.SYSTEM, Role.ADMINISTRATOR, "startup", null), "store.drop-triggers", null, AuditLog.OK, what);
            warnings.accept("trailhound: " + data.store().file() + ": " + what);
        }
        this.groups = new Groups(data.store().groups(), data.catalogue(), audit);
        SignInThrottle throttle = new SignInThrottle(clock); // passwords and tokens: one backoff per address
        this.accounts = new Accounts(data.root(), data.store().users(), data.store().groups(), audit, throttle);
        this.tokens = new Tokens(data.store().tokens(), accounts, audit, clock, throttle);
        this.agents = new Agents(data.store().liveAgents(), data.store().groups(), audit, clock, throttle);
        this.sessions = new Sessions(data.store().webSessions(), clock);
        this.alerts = new Alerts(data, audit, clock);
        data.onIndexed(alerts); // imports and live streams raise alerts of the IOCs set to alert
        this.policies = new PolicyBook(data.store().policies(), groups);
        policies.onChange(alerts::reloadPolicies); // a policy's block and alert events raise alerts while it is enabled
    }

    /**
     * The access layer over an open data folder; {@code clock} stamps audit entries and checks token expiry.
     * Warns on stderr when it had to re-create the audit trail's triggers.
     */
    public static Access over(DataDir data, Clock clock) {
        return new Access(data, clock, System.err::println);
    }

    /** As {@link #over(DataDir, Clock)}, with the warning (one line, at most once) given to {@code warnings}. */
    public static Access over(DataDir data, Clock clock, Consumer<String> warnings) {
        return new Access(data, clock, warnings);
    }

    /** The folder as this caller may see it (one per request). */
    public Scope scope(Caller caller) {
        return new Scope(caller, data, groups, accounts, audit, clock, alerts);
    }

    public Accounts accounts() {
        return accounts;
    }

    public Groups groups() {
        return groups;
    }

    public Tokens tokens() {
        return tokens;
    }

    /** Live agents: enrolment tokens, enrolment, agent authentication, the endpoint registry. */
    public Agents agents() {
        return agents;
    }

    /** Alerts raised by IOCs (and policies) set to alert; see {@link Alerts#raise}. */
    public Alerts alerts() {
        return alerts;
    }

    /** Protection policies as agents receive them, and the signal that one changed. */
    public PolicyBook policyBook() {
        return policies;
    }

    /** Protection policies as this caller may see and change them (one per request, as the scope). */
    public ProtectionPolicies policies(Scope scope) {
        return new ProtectionPolicies(scope, policies, groups, accounts, clock);
    }

    /** Web sign-in sessions, kept across restarts. */
    public Sessions sessions() {
        return sessions;
    }

    public AuditLog audit() {
        return audit;
    }
}
