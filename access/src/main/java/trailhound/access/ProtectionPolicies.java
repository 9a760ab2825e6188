package trailhound.access;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import trailhound.protocol.Message;
import trailhound.protocol.PolicyRules;
import trailhound.query.MatchAllRegex;
import trailhound.store.Policies;
import trailhound.store.Policies.EditedRule;
import trailhound.store.Policies.NewRule;
import trailhound.store.Policies.Policy;
import trailhound.store.StoreException;

/**
 * Protection policies as one caller may see and change them. Who may do what (docs/policies.md):
 * <ul>
 *   <li>everyone signed in lists and reads policies ({@link Action#VIEW});</li>
 *   <li>analysts propose: they create policies, always disabled, and add rules to disabled ones
 *       ({@link Action#INVESTIGATE});</li>
 *   <li>administrators also create policies enabled, add rules to enabled ones, and enable or disable
 *       ({@link Action#ADMINISTER}): only they change what agents enforce, and only signed in, never with an API
 *       token.</li>
 * </ul>
 * Every change is audited ({@code policy.create}, {@code policy.add-rules}, {@code policy.update},
 * {@code policy.delete}, {@code policy.enable}, {@code policy.disable}) and then announced to the agents ({@link PolicyBook#onChange}). Not
 * thread-safe: one per request, as its scope.
 */
public final class ProtectionPolicies {
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._@()'-]{0,79}");
    /** Most rules in one policy: each agent matches every new process against all of them. */
    public static final int MAX_RULES = 500;

    private final Scope scope;
    private final PolicyBook book;
    private final Groups groups;
    private final Accounts accounts;
    private final Clock clock;

    ProtectionPolicies(Scope scope, PolicyBook book, Groups groups, Accounts accounts, Clock clock) {
        this.scope = scope;
        this.book = book;
        this.groups = groups;
        this.accounts = accounts;
        this.clock = clock;
    }

    private Policies store() {
        return book.store();
    }

    /** Every policy, by name. */
    public List<Policy> list() {
        scope.require(Action.VIEW);
        return store().list();
    }

    public Optional<Policy> find(long id) {
        scope.require(Action.VIEW);
        return store().find(id);
    }

    /**
     * Makes a policy; answers it.
     *
     * @param groups computer group names, at least one
     * @param rules at least one, each checked as agents compile it ({@link PolicyRules#check})
     * @throws AccessDeniedException for a read-only user, or an analyst asking for it enabled
     * @throws AccessException for a bad or taken name, an unknown action or group, a bad rule (saying which and why)
     */
    public Policy create(String name, String action, boolean enabled, List<String> groups, List<NewRule> rules) {
        scope.require(Action.INVESTIGATE);
        if (enabled) inForce("policy '" + name + "': created enabled");
        checkFields(name, action, groups, List.of());
        List<NewRule> checked = check(rules, List.of());
        if (store().findByName(name).isPresent()) throw new AccessException("a policy named '" + name + "' exists already");
        long id;
        try {
            id = store().create(name, action, enabled, List.copyOf(new java.util.TreeSet<>(groups)), checked, scope.caller().user(),
                    clock.millis());
        } catch (StoreException e) {
            throw new AccessException("cannot create policy '" + name + "': " + e.getMessage());
        }
        Policy p = store().find(id).orElseThrow();
        scope.audit("policy.create", null, AuditLog.OK, describe(p));
        book.changed();
        return p;
    }

    /**
     * Adds rules to policy {@code id}; answers it.
     *
     * @throws AccessDeniedException for a read-only user, or an analyst and an enabled policy
     * @throws AccessException when there is no such policy or a rule is bad
     */
    public Policy addRules(long id, List<NewRule> rules) {
        scope.require(Action.INVESTIGATE);
        Policy p = store().find(id).orElseThrow(() -> AccessException.unknown("no policy " + id));
        if (p.enabled()) inForce("policy " + id + " (" + p.name() + "): rules added to it while enabled");
        List<NewRule> checked = check(rules, p.rules());
        store().addRules(id, checked, scope.caller().user(), clock.millis());
        Policy after = store().find(id).orElseThrow();
        scope.audit("policy.add-rules", null, AuditLog.OK, p.name() + " (" + id + "): " + String.join("; ",
                after.rules().subList(p.rules().size(), after.rules().size()).stream().map(ProtectionPolicies::describe).toList()));
        book.changed();
        return after;
    }

    /**
     * Changes policy {@code id}: its name, action, groups and rules; {@code null} for one of them keeps it. Rules with
     * an id (one of this policy's) are changed in place, rules without one added, the policy's other rules deleted.
     * Its state (enabled or not) is not changed here ({@link #setEnabled}). Answers it.
     *
     * @throws AccessDeniedException for a read-only user, or an analyst and an enabled policy, or an API token and an
     *     enabled policy (it changes what agents enforce)
     * @throws AccessException when there is no such policy, for a bad or taken name, an unknown action or group, a rule
     *     id not of this policy, a bad rule (saying which and why)
     */
    public Policy update(long id, String name, String action, List<String> groups, List<EditedRule> rules) {
        scope.require(Action.INVESTIGATE);
        Policy p = store().find(id).orElseThrow(() -> AccessException.unknown("no policy " + id));
        if (p.enabled()) inForce("policy " + id + " (" + p.name() + "): changed while enabled");
        String newName = name == null ? p.name() : name;
        String newAction = action == null ? p.action() : action;
        List<String> newGroups = groups == null ? p.groups() : List.copyOf(new java.util.TreeSet<>(groups));
        checkFields(newName, newAction, newGroups, p.groups());
        List<EditedRule> edited = rules == null
                ? p.rules().stream().map(r -> new EditedRule(r.id(), new NewRule(r.sha256(), r.path(), r.commandLine(), r.parent(), r.origin())))
                        .toList()
                : rules;
        List<Long> own = p.rules().stream().map(Policies.Rule::id).toList();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (EditedRule e : edited) {
            if (e.id() != null && (!own.contains(e.id()) || !seen.add(e.id()))) {
                throw new AccessException("rule id " + e.id() + " is not one of policy " + id + "'s rules (" + own.stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(", ")) + "), or is listed twice: leave the id out to add a rule");
            }
        }
        // named as the edit form shows them (fifth try-out: "rule 2" named no rule of the page, whose rules are "#14", "#15")
        int[] added = {0};
        List<String> labels = edited.stream().map(e -> e.id() != null ? "rule #" + e.id() : "new rule " + (++added[0])).toList();
        List<NewRule> checked = check(edited.stream().map(EditedRule::rule).toList(), List.of(), labels::get);
        List<EditedRule> clean = new ArrayList<>();
        for (int i = 0; i < edited.size(); i++) clean.add(new EditedRule(edited.get(i).id(), checked.get(i)));
        if (!newName.equalsIgnoreCase(p.name()) && store().findByName(newName).isPresent()) {
            throw new AccessException("a policy named '" + newName + "' exists already");
        }
        try {
            store().update(id, newName, newAction, newGroups, clean, scope.caller().user(), clock.millis());
        } catch (StoreException e) {
            throw new AccessException("cannot change policy " + id + ": " + e.getMessage());
        }
        Policy after = store().find(id).orElseThrow();
        scope.audit("policy.update", null, AuditLog.OK, "was " + describe(p) + "; now " + describe(after));
        book.changed();
        return after;
    }

    /**
     * Deletes policy {@code id} with its rules: agents of its groups stop enforcing it. Its enforcement events and alerts
     * stay (they name the policy as it was).
     *
     * @throws AccessDeniedException for a read-only user, or an analyst or an API token and an enabled policy
     * @throws AccessException when there is no such policy
     */
    public void delete(long id) {
        scope.require(Action.INVESTIGATE);
        Policy p = store().find(id).orElseThrow(() -> AccessException.unknown("no policy " + id));
        if (p.enabled()) inForce("policy " + id + " (" + p.name() + "): deleted while enabled");
        store().delete(id);
        scope.audit("policy.delete", null, AuditLog.OK, describe(p));
        book.changed();
    }

    /**
     * Enables or disables policy {@code id}; answers it.
     *
     * @throws AccessDeniedException for anyone but an administrator
     * @throws AccessException when there is no such policy
     */
    public Policy setEnabled(long id, boolean enabled) {
        scope.require(Action.ADMINISTER);
        Policy p = store().find(id).orElseThrow(() -> AccessException.unknown("no policy " + id));
        inForce("policy " + id + " (" + p.name() + "): " + (enabled ? "enable" : "disable"));
        store().setEnabled(id, enabled, scope.caller().user(), clock.millis());
        scope.audit(enabled ? "policy.enable" : "policy.disable", null, AuditLog.OK, p.name() + " (" + id + ", " + p.action() + ", groups "
                + String.join(", ", p.groups()) + ")");
        book.changed();
        return store().find(id).orElseThrow();
    }

    /**
     * The computer groups the caller may target: every group for an administrator, an analyst's own granted
     * groups otherwise (other groups' names are an administrator's to see, and their endpoints not the analyst's).
     */
    public List<String> choosableGroups() {
        return choosableGroups(null);
    }

    /**
     * As {@link #choosableGroups()}, and for an analyst also the groups holding {@code endpoint} when she sees it (the
     * endpoint a rule is made from: its groups, such as one of its OS, are the natural target, and seeing the endpoint she
     * may see which groups hold it). Null: none.
     */
    public List<String> choosableGroups(String endpoint) {
        List<String> all = groups.list().stream().map(Groups.Group::name).toList();
        if (scope.may(Action.ADMINISTER)) return all;
        List<String> granted = accounts.find(scope.caller().user()).map(Accounts.User::groups).orElse(List.of());
        boolean sees = endpoint != null && scope.sees(endpoint);
        return all.stream().filter(g -> granted.contains(g) || sees && groups.members(g).contains(endpoint)).toList();
    }

    /**
     * May the caller target group {@code g}: an administrator any, an analyst her granted groups and any group holding an
     * endpoint she sees (those {@link #choosableGroups(String)} offers for it).
     */
    private boolean mayTarget(String g, List<String> choosable) {
        if (choosable.contains(g)) return true;
        if (scope.may(Action.ADMINISTER) || groups.find(g).isEmpty()) return false;
        return groups.members(g).stream().anyMatch(scope::sees);
    }

    /** Checks a policy's name, action and groups ({@code kept}: groups it has already, which stay allowed). */
    private void checkFields(String name, String action, List<String> targets, List<String> kept) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new AccessException("a policy name is 1 to 80 letters, digits, spaces and . _ @ ( ) ' - (starting with a letter or digit)");
        }
        if (!PolicyRules.isAction(action)) throw new AccessException("action must be block or alert, not '" + action + "'");
        if (targets == null || targets.isEmpty()) throw new AccessException("choose at least one computer group whose agents enforce it");
        List<String> choosable = choosableGroups();
        for (String g : targets) {
            if (kept.contains(g) || mayTarget(g, choosable)) continue;
            throw new AccessException("no computer group named '" + g + "'" + (scope.may(Action.ADMINISTER) ? ""
                    : " among yours (" + String.join(", ", choosable) + ")"));
        }
    }

    /**
     * Changing what agents enforce (a block kills processes on every endpoint of the groups) is an administrator's,
     * signed in: never an API token's, whatever its role, as for groups and users (a leaked token must not turn into
     * lasting effect). Refused and audited otherwise.
     */
    private void inForce(String what) {
        if (scope.may(Action.ADMINISTER) && !scope.caller().viaToken()) return;
        scope.audit("access.denied", null, AuditLog.DENIED, what);
        // an analyst is told about the role first: a session would not let them either
        throw new AccessDeniedException(scope.caller().viaToken() && scope.may(Action.ADMINISTER)
                ? "an API token cannot change what agents enforce (enable, disable, or change an enabled policy): sign in to the web"
                : "only an administrator changes what agents enforce (enables a policy, or changes an enabled one): create it"
                        + " disabled (a proposal) and ask one");
    }

    /** As {@link #check(List, List, java.util.function.IntFunction)}, rules named by their place in the list ("rule 2"). */
    private static List<NewRule> check(List<NewRule> rules, List<Policies.Rule> existing) {
        return check(rules, existing, i -> "rule " + (i + 1));
    }

    /**
     * The rules cleaned (hash lower-case, blanks null) and checked as agents compile them, each once: a rule the
     * same as another of the list or as one of {@code existing} (the policy's, which stay) is refused, as it adds
     * nothing. {@code label} names the rule at an index in a refusal, as the caller showed it ("rule #14").
     */
    private static List<NewRule> check(List<NewRule> rules, List<Policies.Rule> existing, java.util.function.IntFunction<String> label) {
        if (rules == null || rules.isEmpty()) throw new AccessException("a policy needs at least one rule");
        if (existing.size() + rules.size() > MAX_RULES) {
            throw new AccessException("a policy holds at most " + MAX_RULES + " rules; this would make " + (existing.size() + rules.size()));
        }
        java.util.Map<List<String>, String> seen = new java.util.HashMap<>();
        for (Policies.Rule r : existing) seen.put(sameness(r.sha256(), r.path(), r.commandLine(), r.parent()), "rule #" + r.id() + " of the policy");
        List<NewRule> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            NewRule r = rules.get(i);
            NewRule clean = new NewRule(blankToNull(r.sha256()) == null ? null : r.sha256().strip().toLowerCase(java.util.Locale.ROOT),
                    blankToNull(r.path()), blankToNull(r.commandLine()), blankToNull(r.parent()), blankToNull(r.origin()));
            String name = label.apply(i);
            PolicyRules.check(PolicyBook.toMessage(0, clean), MatchAllRegex::matchesEveryValue).ifPresent(why -> {
                throw new AccessException(name + ": " + why);
            });
            String same = seen.putIfAbsent(sameness(clean.sha256(), clean.path(), clean.commandLine(), clean.parent()), name);
            if (same != null) {
                throw new AccessException(name + " is the same as " + same + " (" + PolicyRules.describe(PolicyBook.toMessage(0, clean))
                        .replaceFirst("^#\\S+ ", "") + "): a policy holds each rule once; nothing was saved");
            }
            out.add(clean);
        }
        return out;
    }

    /** What makes two rules the same: their conditions, compared as agents match them (case-insensitively). */
    private static List<String> sameness(String... conditions) {
        return java.util.Arrays.stream(conditions).map(c -> c == null || c.isBlank() ? "" : c.toLowerCase(java.util.Locale.ROOT)).toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static String describe(Policy p) {
        return p.name() + " (" + p.id() + "): " + p.action() + (p.enabled() ? ", enabled" : ", disabled") + ", groups "
                + String.join(", ", p.groups()) + ", rules " + String.join("; ", p.rules().stream().map(ProtectionPolicies::describe).toList());
    }

    private static String describe(Policies.Rule r) {
        return PolicyRules.describe(new Message.Rule(r.id(), r.sha256(), r.path(), r.commandLine(), r.parent()));
    }
}
