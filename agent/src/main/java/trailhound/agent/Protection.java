package trailhound.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import trailhound.protocol.Message;
import trailhound.protocol.PolicyRules;
import trailhound.protocol.Protocol;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * The protection policies this agent enforces: the last set the server sent ({@link Message.Policies},
 * protocol 4), kept in the store's meta so a restarted agent enforces it before it reconnects. Whoever
 * checks processes ({@link Enforcer} on Linux, {@link Replay}) asks {@link #hits}; each hit becomes an
 * event of type {@code policy} ({@link #event}). Thread-safe: the connection thread replaces the set,
 * the checking threads read it.
 */
final class Protection {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String META = "policies";

    /** One policy's rule matching a process. */
    record Hit(Message.Policy policy, Message.Rule rule) {
        boolean block() {
            return PolicyRules.BLOCK.equals(policy.action());
        }
    }

    private record Compiled(Message.Policy policy, List<PolicyRules.Compiled> rules) {}

    private record Set(List<Compiled> policies, boolean needsHash) {
        static final Set EMPTY = new Set(List.of(), false);
    }

    private final LocalStore store;
    private final PrintWriter log;
    private volatile Set current = Set.EMPTY;
    /** {@link Protocol#digest} of the set held, told the server when authenticating. */
    private volatile String digest;
    private volatile Runnable onChange = () -> {};
    /*
     * Policy events recorded and not yet sent as priority: kept until a connection takes them (the
     * store keeps them too, for the ordinary batches), bounded so that an agent cut off for days does
     * not grow without end; what is dropped here still reaches the server with the stream.
     */
    private final java.util.concurrent.LinkedBlockingDeque<Map<String, String>> priority = new java.util.concurrent.LinkedBlockingDeque<>(
            MAX_PRIORITY);
    static final int MAX_PRIORITY = 1_000;

    Protection(LocalStore store, PrintWriter log) throws IOException {
        this.store = store;
        this.log = log;
        String kept = store.meta(META);
        if (kept != null) {
            Message.Policies held = Protocol.decode(kept) instanceof Message.Policies p ? p : new Message.Policies(List.of());
            current = compile(held);
            digest = Protocol.digest(held);
            if (!current.policies().isEmpty()) log("enforcing the " + count(current.policies().size(), "policy", "policies") + " kept from the last connection");
        }
    }

    /** Notes policy events just stored, to be sent at once as {@link Message.Priority} ({@link #takePriority}). */
    void recorded(List<Event> events) {
        for (Event e : events) {
            if (!priority.offerLast(e.toMap())) return; // full: they come with the stream
        }
    }

    /** Up to {@code most} recorded policy events not sent yet, oldest first; {@link #putBack} if the send fails. */
    List<Map<String, String>> takePriority(int most) {
        List<Map<String, String>> out = new java.util.ArrayList<>();
        priority.drainTo(out, most);
        return out;
    }

    /** Returns events {@link #takePriority} gave whose send failed, to the front. */
    void putBack(List<Map<String, String>> events) {
        for (int i = events.size() - 1; i >= 0; i--) priority.offerFirst(events.get(i));
    }

    /** Called (on the connection's thread) after each change of the set. */
    void onChange(Runnable listener) {
        this.onChange = listener;
    }

    /** Replaces the set with the server's, keeps it, and tells the checker. */
    void update(Message.Policies policies) throws IOException {
        Set next = compile(policies);
        store.putMeta(META, Protocol.encode(policies));
        current = next;
        digest = Protocol.digest(policies);
        onChange.run();
        log("policies received: " + policies.policies().size() + (policies.policies().isEmpty() ? "" : " ("
                + String.join(", ", policies.policies().stream().map(p -> p.name() + ": " + p.action() + ", "
                        + count(p.rules().size(), "rule", "rules")).toList()) + ")"));
    }

    /** What the server compares with its set to know whether to send it (null: none held). */
    String digest() {
        return digest;
    }

    boolean isEmpty() {
        return current.policies().isEmpty();
    }

    /** Whether some rule needs the executable's hash: only then is it computed before matching. */
    boolean needsHash() {
        return current.needsHash();
    }

    /** Every policy with a rule that matches {@code process} (its first such rule), block policies first. */
    List<Hit> hits(PolicyRules.Process process) {
        List<Hit> out = new ArrayList<>();
        for (Compiled c : current.policies()) {
            for (PolicyRules.Compiled rule : c.rules()) {
                if (rule.matches(process)) {
                    out.add(new Hit(c.policy(), rule.rule()));
                    break;
                }
            }
        }
        out.sort((a, b) -> Boolean.compare(b.block(), a.block()));
        return out;
    }

    /**
     * The policy event of {@code hit} on the process whose fields {@code process} carries (process_key, pid,
     * paths...): type {@code policy}, operation and {@code action} the policy's action, and {@code outcome}.
     */
    static Event event(String uid, long ts, Hit hit, Event.Builder process, String outcome) {
        return process.set(Field.EVENT_UID, uid).ts(ts).set(Field.TYPE, "policy").set(Field.OPERATION, hit.policy().action())
                .set(Field.POLICY, hit.policy().name()).set(Field.RULE, PolicyRules.describe(hit.rule()))
                .set(Field.ACTION, hit.policy().action()).set(Field.OUTCOME, outcome).build();
    }

    private Set compile(Message.Policies policies) {
        List<Compiled> out = new ArrayList<>();
        boolean needsHash = false;
        for (Message.Policy p : policies.policies()) {
            if (!PolicyRules.isAction(p.action())) {
                log("policy " + p.id() + " (" + p.name() + "): unknown action '" + p.action() + "', ignored");
                continue;
            }
            List<String> problems = new ArrayList<>();
            List<PolicyRules.Compiled> rules = PolicyRules.compileAll(p.rules(), problems);
            problems.forEach(why -> log("policy " + p.id() + " (" + p.name() + "): " + why + "; the rule is ignored"));
            if (rules.isEmpty()) continue;
            out.add(new Compiled(p, rules));
            needsHash |= rules.stream().anyMatch(PolicyRules.Compiled::needsHash);
        }
        return new Set(List.copyOf(out), needsHash);
    }

    /** "1 policy", "2 policies": the log reads as sentences. */
    static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private void log(String line) {
        synchronized (log) {
            log.println(Instant.now() + " agent: " + line);
            log.flush();
        }
    }
}
