package trailhound.web.auth;

import java.util.Locale;

/** What a user may do. Read-only users search and look; analysts also change things; administrators also manage users. */
public enum Role {
    ADMINISTRATOR("administrator"),
    ANALYST("analyst"),
    READ_ONLY("read-only");

    private final String label;

    Role(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    static Role parse(String label) {
        for (Role r : values()) {
            if (r.label.equals(label.toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + label + "': expected administrator, analyst or read-only");
    }
}
