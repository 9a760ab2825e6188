package trailhound.access;

import java.util.Objects;

/**
 * Who acts: a user with a role, through which channel ({@code via}: {@code web}, {@code token:<name>}
 * or {@code cli}) and from which address (null on the command line). Written into every audit entry.
 */
public record Caller(String user, Role role, String via, String address) {
    public Caller {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(via, "via");
    }

    /** True when acting through an API token ({@code via} "token:<name>"). */
    public boolean viaToken() {
        return via.startsWith("token:");
    }

    /**
     * The command line on a data folder: whoever may read the folder's files may do everything, so
     * it acts as an administrator, named after the operating-system account.
     */
    public static Caller commandLine() {
        return new Caller("cli:" + System.getProperty("user.name", "unknown"), Role.ADMINISTRATOR, "cli", null);
    }
}
