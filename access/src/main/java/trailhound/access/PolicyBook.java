package trailhound.access;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import trailhound.protocol.Message;
import trailhound.store.Policies;
import trailhound.store.Policies.Policy;

/**
 * The protection policies as agents receive them: which are in force on an endpoint (enabled, in one of
 * its computer groups now), in the protocol's shape, and a signal when any policy changed, so the agents'
 * socket sends the new set at once. Group membership changes (a tag, a rule, an endpoint renamed) are not
 * signalled: the socket compares at each heartbeat too. Thread-safe.
 */
public final class PolicyBook {
    private final Policies store;
    private final Groups groups;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    /**
     * Every policy, read once per change: each agent's heartbeat asks for its set, and one process writes a data
     * folder, so every change passes {@link #changed}. Null: to be read.
     */
    private volatile List<Policy> all;

    PolicyBook(Policies store, Groups groups) {
        this.store = store;
        this.groups = groups;
    }

    Policies store() {
        return store;
    }

    /** Runs {@code listener} after every change of a policy made through the access layer. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    void changed() {
        all = null;
        listeners.forEach(Runnable::run);
    }

    /** The enabled policies whose groups hold {@code endpoint} now, by name, as {@link Message.Policies} carries them. */
    public List<Message.Policy> inForce(String endpoint) {
        List<Policy> policies = all;
        if (policies == null) all = policies = store.list();
        return policies.stream().filter(Policy::enabled)
                .filter(p -> p.groups().stream().anyMatch(g -> {
                    try {
                        return groups.members(g).contains(endpoint);
                    } catch (AccessException unknownGroup) {
                        return false;
                    }
                }))
                .map(p -> new Message.Policy(p.id(), p.name(), p.action(), p.rules().stream()
                        .map(r -> new Message.Rule(r.id(), r.sha256(), r.path(), r.commandLine(), r.parent())).toList()))
                .toList();
    }

    static Message.Rule toMessage(long id, Policies.NewRule r) {
        return new Message.Rule(id, r.sha256(), r.path(), r.commandLine(), r.parent());
    }
}
