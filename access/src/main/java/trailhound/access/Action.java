package trailhound.access;

/** What a route or command does, and the least role that may do it. One rule per route: see the web's route table. */
public enum Action {
    /** Needs no sign-in: the sign-in page, static files. */
    PUBLIC(Role.READ_ONLY),
    /** Look: endpoint lists, searches, distributions, processes, reputation. */
    VIEW(Role.READ_ONLY),
    /** One's own account: change the password, one's API tokens. */
    OWN_ACCOUNT(Role.READ_ONLY),
    /** Take data away: CSV and Excel exports, file downloads. */
    EXPORT(Role.ANALYST),
    /** Act on an investigation: live connections, snapshots, saved evidence, IOCs. */
    INVESTIGATE(Role.ANALYST),
    /** Manage: users, groups, tags, tokens of others, the audit trail, jobs, endpoints, policies, deleting files. */
    ADMINISTER(Role.ADMINISTRATOR);

    private final Role minimum;

    Action(Role minimum) {
        this.minimum = minimum;
    }

    /** The least role that may take it. */
    public Role minimum() {
        return minimum;
    }
}
