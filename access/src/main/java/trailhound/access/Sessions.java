package trailhound.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import trailhound.store.WebSessions;

/**
 * Web sign-in sessions, kept in server.db so that a server restart signs nobody out. A session id is
 * 256 random bits (base64url, the cookie's value); only its SHA-256 is stored. A session ends
 * {@link #IDLE} after its last request and {@link #LIFETIME} after sign-in whatever happens; a user
 * holds at most {@link #PER_USER}, a new one ending the oldest beyond it. The session holds the user
 * name only: role, groups and "disabled" are read again on every request (the caller of {@link
 * Accounts}). Thread-safe.
 */
public final class Sessions {
    /** An open session: who, its CSRF token, the credential stamp it was opened with, when it started. */
    public record Session(String user, String csrfToken, String credentialStamp, Instant started) {}

    public static final Duration IDLE = Duration.ofHours(12);
    public static final Duration LIFETIME = Duration.ofHours(24);
    public static final int PER_USER = 20;
    /** A session's last use is written at most this often: a request reads server.db, it rarely writes it. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final WebSessions store;
    private final Clock clock;

    Sessions(WebSessions store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Opens a session of {@code user}, ending their oldest beyond {@link #PER_USER}; returns its id (the cookie's value). */
    public String open(String user, String csrfToken, String credentialStamp) {
        return insert(user, csrfToken, credentialStamp, clock.millis());
    }

    private String insert(String user, String csrfToken, String credentialStamp, long started) {
        List<WebSessions.Session> mine = store.ofUser(user);
        for (int i = 0; i <= mine.size() - PER_USER; i++) store.delete(mine.get(i).idSha256());
        String id = Secrets.secret();
        long now = clock.millis();
        store.insert(new WebSessions.Session(Secrets.sha256(id), user, csrfToken, credentialStamp, started, now));
        if (mine.isEmpty()) store.purge(now - IDLE.toMillis(), now - LIFETIME.toMillis()); // now and then: ended ones go
        return id;
    }

    /** The session of this id, when open (neither idle nor too old; an ended one is removed); its use is recorded. */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 128) return Optional.empty();
        String hash = Secrets.sha256(id);
        Optional<WebSessions.Session> found = store.find(hash);
        if (found.isEmpty()) return Optional.empty();
        WebSessions.Session s = found.get();
        long now = clock.millis();
        if (now - s.lastSeenAt() >= IDLE.toMillis() || now - s.startedAt() >= LIFETIME.toMillis()) {
            store.delete(hash);
            return Optional.empty();
        }
        if (now - s.lastSeenAt() >= TOUCH_EVERY.toMillis()) store.touch(hash, now);
        return Optional.of(new Session(s.user(), s.csrfToken(), s.credentialStamp(), Instant.ofEpochMilli(s.startedAt())));
    }

    /** Ends the session (nothing when there is none). */
    public void end(String id) {
        if (id != null && !id.isEmpty()) store.delete(Secrets.sha256(id));
    }

    /**
     * Ends session {@code id} and opens its continuation under a new id with {@code credentialStamp}
     * (after the user changed their password in it); same CSRF token and start. Returns the new id.
     */
    public String renew(String id, Session session, String credentialStamp) {
        end(id);
        return insert(session.user(), session.csrfToken(), credentialStamp, session.started().toEpochMilli());
    }
}
