package trailhound.access;

import java.util.Locale;

/**
 * What a user may do ({@link Action}): read-only users look; analysts also investigate actively
 * (exports, live connections, evidence, IOCs); administrators also manage users, groups, jobs,
 * policies and endpoints, and see every endpoint.
 */
public enum Role {
    ADMINISTRATOR("administrator"),
    ANALYST("analyst"),
    READ_ONLY("read-only");

    private final String label;

    Role(String label) {
        this.label = label;
    }

    /** The name users type and see: administrator, analyst, read-only. */
    public String label() {
        return label;
    }

    /** True when this role may take the action. */
    public boolean allows(Action action) {
        return ordinal() <= action.minimum().ordinal();
    }

    /**
     * The role of a label (case-insensitive).
     *
     * @throws IllegalArgumentException naming the three roles
     */
    public static Role parse(String label) {
        for (Role r : values()) {
            if (r.label.equals(label.strip().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + label + "': expected administrator, analyst or read-only");
    }
}
