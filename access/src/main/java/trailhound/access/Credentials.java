package trailhound.access;

/**
 * What no API token may do, whatever its user's role: make or change credentials (tokens, users,
 * passwords). A leaked token must end when it expires or is revoked; one that could make a user, set
 * a password or make a token could outlive both.
 */
final class Credentials {
    private Credentials() {}

    /**
     * @throws AccessDeniedException (audited) when {@code by} acts through a token
     */
    static void requireNotToken(Caller by, AuditLog audit, String action, String what, String command) {
        if (by.viaToken()) {
            audit.record(by, action, null, AuditLog.DENIED, "requested with an API token");
            throw new AccessDeniedException("an API token cannot " + what + ": sign in to the web, or use " + command);
        }
    }
}
