package trailhound.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import trailhound.store.ApiTokens;
import trailhound.store.StoreException;

/**
 * API tokens for scripts and the CLI: {@code Authorization: Bearer th_<id>_<secret>}, acting as the
 * user who made it, with that user's role and groups, until it expires or is revoked (or the user is
 * disabled). The secret is shown once; only its SHA-256 is kept (a random 256-bit secret needs no
 * slow hash). Creation, revocation and refused uses are audited. Thread-safe.
 */
public final class Tokens {
    /** A token as listed (never its secret). */
    public record Token(String id, String user, String name, Instant created, Instant expires, Instant revoked, Instant lastUsed) {
        public boolean usable(Instant now) {
            return revoked == null && now.isBefore(expires);
        }
    }

    /** A new token: {@code secret} is the whole bearer value, shown once. */
    public record Created(Token token, String secret) {}

    /** What presenting a bearer value came to. */
    public sealed interface Use {
        /** Acts as {@code caller}. */
        record Ok(Caller caller) implements Use {}

        /** Malformed, unknown, wrong, revoked or expired, or its user disabled: {@code problem} says which, for the audit. */
        record Refused(String problem) implements Use {}

        /** Valid, but its user must change the password (in the web) before any token works. */
        record PasswordChangeRequired() implements Use {}

        /** Too many refused tokens from this address lately: try again after {@code seconds}. */
        record Throttled(long seconds) implements Use {}
    }

    public static final int MAX_DAYS = 366;
    private static final Pattern BEARER = Pattern.compile("th_([a-z0-9]{16})_([A-Za-z0-9_-]{43})");
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._@-]{0,63}");
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    /** How a caller acting through a token is marked ({@link Caller#via()}: "token:" and the token's name). */
    static final String VIA_TOKEN = "token:";

    private final ApiTokens store;
    private final Accounts accounts;
    private final AuditLog audit;
    private final Clock clock;

    private final SignInThrottle throttle;

    Tokens(ApiTokens store, Accounts accounts, AuditLog audit, Clock clock, SignInThrottle throttle) {
        this.store = store;
        this.accounts = accounts;
        this.audit = audit;
        this.clock = clock;
        this.throttle = throttle;
    }

    /**
     * Makes a token for {@code user}; only administrators make tokens for others.
     *
     * @throws AccessException for a bad name, one the user has already, a validity outside 1..366 days
     * @throws AccessDeniedException when a non-administrator makes one for someone else, or when
     *     {@code by} acts through a token (a leaked token must not mint longer-lived ones)
     */
    public Created create(Caller by, String user, String name, int days) {
        Credentials.requireNotToken(by, audit, "token.create", "create tokens", "bin/trailhound tokens create");
        if (!by.user().equals(user)) requireAdministrator(by);
        if (accounts.find(user).isEmpty()) throw new AccessException("unknown user '" + user + "'");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new AccessException("a token name is 1 to 64 letters, digits, spaces and . _ @ - (e.g. 'nightly export')");
        }
        if (days < 1 || days > MAX_DAYS) throw new AccessException("a token is valid for 1 to " + MAX_DAYS + " days, not " + days);
        String id = Secrets.id();
        String secret = Secrets.secret();
        long now = clock.millis();
        ApiTokens.Token t = new ApiTokens.Token(id, user, name, Secrets.sha256(secret), now, now + Duration.ofDays(days).toMillis(), null, null);
        try {
            store.insert(t);
        } catch (StoreException e) {
            throw new AccessException("'" + user + "' has a token named '" + name + "' already; revoke it or choose another name");
        }
        audit.record(by, "token.create", null, AuditLog.OK, user + ": " + name + " (" + id + "), " + days + " days");
        return new Created(token(t), "th_" + id + "_" + secret);
    }

    /**
     * What a bearer value acts as. Refusals are audited and count, per address, towards the sign-in
     * backoff, so guessing tokens is throttled like guessing passwords; a run of throttled uses is
     * audited once. A refused use does not count as the token's last use.
     */
    public Use authenticate(String bearer, String address) {
        SignInThrottle.Verdict verdict = throttle.check(null, address);
        if (verdict.seconds() > 0) {
            if (verdict.firstRefusal()) {
                audit.recordAnonymous("", "token", address, "token.use", AuditLog.DENIED, "throttled for " + verdict.seconds()
                        + " s after repeated failures; further refused uses in this wait are not recorded");
            }
            return new Use.Throttled(verdict.seconds());
        }
        Matcher m = bearer == null ? null : BEARER.matcher(bearer.strip());
        if (m == null || !m.matches()) return refused("", address, "malformed token");
        Optional<ApiTokens.Token> stored = store.find(m.group(1));
        long now = clock.millis();
        if (stored.isEmpty() || !Secrets.matches(stored.get().secretSha256(), m.group(2))) {
            return refused("", address, "unknown token " + m.group(1));
        }
        ApiTokens.Token t = stored.get();
        if (t.revokedAt() != null) return refused(t.user(), address, "revoked token");
        if (now >= t.expiresAt()) return refused(t.user(), address, "expired token");
        Optional<Caller> caller = accounts.caller(t.user(), VIA_TOKEN + t.name(), address);
        if (caller.isEmpty()) return refused(t.user(), address, "user disabled");
        if (accounts.mustChangePassword(t.user())) return new Use.PasswordChangeRequired();
        if (t.lastUsedAt() == null || now - t.lastUsedAt() > TOUCH_EVERY.toMillis()) store.used(t.id(), now);
        return new Use.Ok(caller.get());
    }

    private Use refused(String user, String address, String problem) {
        throttle.failed(null, address);
        audit.recordAnonymous(user, "token", address, "token.use", AuditLog.FAILED, problem);
        return new Use.Refused(problem);
    }

    /** The user's tokens (everyone's for null), newest first. */
    public List<Token> list(String user) {
        return store.list(user).stream().map(Tokens::token).toList();
    }

    /** Revokes a token: its owner or an administrator; to anyone else another user's token is unknown. */
    public void revoke(Caller by, String id) {
        // through a token only the caller's own (a leaked admin token must not cut off every script at once)
        boolean mayRevokeOthers = by.role().allows(Action.ADMINISTER) && !by.viaToken();
        ApiTokens.Token t = store.find(id).filter(found -> found.user().equals(by.user()) || mayRevokeOthers)
                .orElseThrow(() -> AccessException.unknown("unknown token '" + id + "'"));
        if (!store.revoke(id, clock.millis())) throw new AccessException("token '" + id + "' was revoked already");
        if (store.find(id).map(ApiTokens.Token::revokedAt).isEmpty()) {
            // read back: something in server.db (a trigger) may undo what was written, and the audit must not say ok then
            audit.record(by, "token.revoke", null, AuditLog.FAILED, t.user() + ": " + t.name() + " (" + id + "): not stored");
            throw new IllegalStateException("the token " + id + " was not revoked as written: something in server.db undoes it"
                    + " (bin/trailhound verify names it; a server restart removes foreign triggers)");
        }
        audit.record(by, "token.revoke", null, AuditLog.OK, t.user() + ": " + t.name() + " (" + id + ")");
    }

    private static void requireAdministrator(Caller by) {
        if (!by.role().allows(Action.ADMINISTER)) throw AccessDeniedException.of(by, Action.ADMINISTER);
    }



    private static Token token(ApiTokens.Token t) {
        return new Token(t.id(), t.user(), t.name(), Instant.ofEpochMilli(t.createdAt()), Instant.ofEpochMilli(t.expiresAt()),
                t.revokedAt() == null ? null : Instant.ofEpochMilli(t.revokedAt()),
                t.lastUsedAt() == null ? null : Instant.ofEpochMilli(t.lastUsedAt()));
    }
}
