package trailhound.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import trailhound.store.ComputerGroups;
import trailhound.store.StoreException;
import trailhound.store.UserAccounts;

/**
 * Users: create, sign in, roles, granted groups, disable, passwords. Passwords are hashed with
 * Argon2id ({@link PasswordHasher}) and must pass {@link PasswordPolicy} (12 characters at least, not
 * common). Every change is audited with the {@link Caller} who made it. Thread-safe.
 */
public final class Accounts {
    /** A user as administrators see it; groups sorted by name. */
    public record User(String name, Role role, boolean disabled, boolean mustChangePassword, List<String> groups, long createdAt) {}

    /** What a sign-in attempt came to. */
    public sealed interface SignIn {
        /**
         * Signed in; when {@code mustChangePassword}, only the password change is open until it is
         * done. {@code credentialStamp} goes with the session: see {@link #caller(String, String, String, String)}.
         */
        record Ok(Caller caller, boolean mustChangePassword, String credentialStamp) implements SignIn {}

        /** Wrong name or password, or a disabled user: one message for all, so names cannot be probed. */
        record Refused() implements SignIn {}

        /** Too many failures for this name or address: try again after {@code seconds}. */
        record Throttled(long seconds) implements SignIn {}
    }

    static final String INITIAL_PASSWORD_FILE = "initial-admin-password";
    /** How the first user's audit entry says its password need not be changed (demo on loopback). */
    private static final String DEMO_MARK = "; no password change asked (demo)";
    /** The actor of entries Trailhound writes itself (the first user, restored triggers). */
    static final String SYSTEM = "system";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private final Path root;
    private final UserAccounts store;
    private final ComputerGroups groups;
    private final AuditLog audit;
    private final SignInThrottle throttle;
    private final PasswordHasher hasher = new PasswordHasher();

    Accounts(Path root, UserAccounts store, ComputerGroups groups, AuditLog audit, SignInThrottle throttle) {
        this.root = root;
        this.store = store;
        this.groups = groups;
        this.audit = audit;
        this.throttle = throttle;
    }

    /**
     * On a data folder without users, creates administrator {@code admin} with a generated password,
     * writes it to {@code <root>/initial-admin-password} (owner read/write only) and returns it; else empty.
     *
     * @param mustChange whether the password must be changed at first sign-in (not for {@code demo})
     */
    public Optional<String> ensureInitialAdmin(Path root, boolean mustChange) {
        if (store.count() > 0) {
            if (mustChange) requireChangeOfAnInitialPasswordStillInUse(root);
            return Optional.empty();
        }
        String password = PasswordPolicy.generate();
        store.insert("admin", Role.ADMINISTRATOR.label(), hasher.hash(password), mustChange);
        audit.record(new Caller(SYSTEM, Role.ADMINISTRATOR, "serve", null), "user.create", null, AuditLog.OK,
                "admin (administrator), the first user" + (mustChange ? "" : DEMO_MARK));
        Path file = root.resolve(INITIAL_PASSWORD_FILE);
        try {
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, password + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return Optional.of(password);
    }

    /**
     * A folder that {@code demo} made (its first password shown on a terminal, no change asked) and
     * {@code serve} now serves: while {@code admin} still signs in with the password in the file, it
     * must be changed at the next sign-in, as any first password under serve.
     */
    private void requireChangeOfAnInitialPasswordStillInUse(Path root) {
        Path file = root.resolve(INITIAL_PASSWORD_FILE);
        Optional<UserAccounts.Account> admin = store.find("admin");
        if (admin.isEmpty() || admin.get().mustChangePassword()) return;
        boolean stillTheFirst = false;
        try {
            stillTheFirst = Files.isRegularFile(file) && hasher.verify(Files.readString(file).strip(), admin.get().passwordHash());
        } catch (IOException e) {
            // unreadable: the audit trail below still tells
        }
        // the file may be gone (deleted by hand): the trail remembers a demo's first user and any change since
        if (!stillTheFirst && !(madeByDemo() && neverChanged())) return;
        store.setPassword("admin", admin.get().passwordHash(), true);
        audit.record(new Caller(SYSTEM, Role.ADMINISTRATOR, "serve", null), "user.password-reset", null, AuditLog.OK,
                "admin: the first password (in " + INITIAL_PASSWORD_FILE + ") must be changed at the next sign-in under serve");
    }

    private boolean madeByDemo() {
        return audit.list(new trailhound.store.AuditTrail.Filter(SYSTEM, "user.create", null, null, null), 0, 5).stream()
                .anyMatch(e -> e.event().detail() != null && e.event().detail().endsWith(DEMO_MARK));
    }

    private boolean neverChanged() {
        boolean changed = audit.list(new trailhound.store.AuditTrail.Filter("admin", "user.password-change", null, null, null), 0, 50)
                .stream().anyMatch(e -> AuditLog.OK.equals(e.event().outcome()));
        boolean reset = audit.list(new trailhound.store.AuditTrail.Filter(null, "user.password-reset", null, null, null), 0, 50)
                .stream().anyMatch(e -> AuditLog.OK.equals(e.event().outcome()) && e.event().detail() != null
                        && e.event().detail().startsWith("admin"));
        return !changed && !reset;
    }

    /**
     * Adds a user. Without a password one is generated; the user must change it at first sign-in
     * either way unless {@code mustChange} is false.
     *
     * @return the password (the generated one, to show once)
     * @throws AccessException for a bad or taken name, an unknown group, a weak password
     */
    public String create(Caller by, String name, Role role, List<String> groupNames, String password, boolean mustChange) {
        Credentials.requireNotToken(by, audit, "user.create", "create users", "bin/trailhound users add");
        checkName(name);
        store.list().stream().filter(a -> a.name().equalsIgnoreCase(name)).findFirst().ifPresent(a -> {
            throw new AccessException("a user named '" + a.name() + "' exists already" + (a.name().equals(name) ? ""
                    : ": names differing only in case would be confused in the audit trail"));
        });
        groupNames.forEach(this::checkGroup);
        String pw = password == null ? PasswordPolicy.generate() : password;
        PasswordPolicy.check(name, pw);
        try {
            store.insert(name, role.label(), hasher.hash(pw), mustChange);
        } catch (StoreException e) {
            throw new AccessException("cannot create user '" + name + "': " + e.getMessage());
        }
        groupNames.forEach(g -> store.grant(name, g));
        audit.record(by, "user.create", null, AuditLog.OK, name + " (" + role.label() + ")"
                + (groupNames.isEmpty() ? "" : " groups " + String.join(", ", groupNames)));
        return pw;
    }

    /**
     * Checks a sign-in, throttled per name and address, audited either way (a run of throttled
     * attempts once, at its first).
     */
    public SignIn signIn(String name, String password, String address, String via) {
        String typed = typedName(name);
        SignInThrottle.Verdict verdict = throttle.check(typed, address);
        if (verdict.seconds() > 0) {
            if (verdict.firstRefusal()) {
                audit.recordAnonymous(typed, via, address, "sign-in", AuditLog.DENIED, "throttled for " + verdict.seconds()
                        + " s after repeated failures; further refused attempts in this wait are not recorded");
            }
            return new SignIn.Throttled(verdict.seconds());
        }
        Optional<UserAccounts.Account> account = typed.isEmpty() ? Optional.empty() : store.find(typed);
        boolean ok;
        if (account.isEmpty() || password == null) {
            hasher.hash(password == null ? "" : password); // the same work as for a known user: timing tells nothing
            ok = false;
        } else {
            ok = hasher.verify(password, account.get().passwordHash()) && !account.get().disabled();
        }
        if (!ok) {
            throttle.failed(typed, address);
            audit.recordAnonymous(typed, via, address, "sign-in", AuditLog.FAILED,
                    account.isPresent() && account.get().disabled() ? "user disabled" : "wrong name or password");
            return new SignIn.Refused();
        }
        throttle.succeeded(typed);
        UserAccounts.Account a = account.get();
        Caller caller = new Caller(a.name(), Role.parse(a.role()), via, address);
        audit.record(caller, "sign-in", null, AuditLog.OK, null);
        return new SignIn.Ok(caller, a.mustChangePassword(), stamp(a));
    }

    /**
     * A name as typed into a sign-in form, bounded: no user name is longer than 64 characters, so a
     * longer one is cut (and marked, so it matches no user) before it reaches the throttle or the audit.
     */
    private static String typedName(String name) {
        String typed = name == null ? "" : name.strip();
        return typed.length() <= 64 ? typed : typed.substring(0, 64) + "\u2026";
    }

    /** The caller for a signed-in user, re-read so role changes and disabling take effect at once; empty when gone or disabled. */
    public Optional<Caller> caller(String name, String via, String address) {
        return store.find(name).filter(a -> !a.disabled()).map(a -> new Caller(a.name(), Role.parse(a.role()), via, address));
    }

    /**
     * The caller for a web session, which ends with a password change or reset: empty also when the
     * password is no longer the one {@code credentialStamp} (from {@link SignIn.Ok}) was taken from.
     */
    public Optional<Caller> caller(String name, String credentialStamp, String via, String address) {
        return store.find(name).filter(a -> !a.disabled() && stamp(a).equals(credentialStamp))
                .map(a -> new Caller(a.name(), Role.parse(a.role()), via, address));
    }

    /** The user's current credential stamp, for the session that just changed the password and stays signed in. */
    public Optional<String> credentialStamp(String name) {
        return store.find(name).map(Accounts::stamp);
    }

    /** A fingerprint of the stored password hash (which has its own random salt): changes with every new password. */
    private static String stamp(UserAccounts.Account a) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(a.passwordHash().getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when the user must change the password before anything else. */
    public boolean mustChangePassword(String name) {
        return store.find(name).map(UserAccounts.Account::mustChangePassword).orElse(false);
    }

    public Optional<User> find(String name) {
        return store.find(name).map(Accounts::user);
    }

    /** Every user, by name. */
    public List<User> list() {
        return store.list().stream().map(Accounts::user).toList();
    }

    public void setRole(Caller by, String name, Role role) {
        User u = existing(name);
        if (u.role() == Role.ADMINISTRATOR && role != Role.ADMINISTRATOR) keepAnAdministrator(name);
        store.setRole(name, role.label());
        audit.record(by, "user.role", null, AuditLog.OK, name + ": " + u.role().label() + " -> " + role.label());
    }

    public void grant(Caller by, String name, String group) {
        existing(name);
        checkGroup(group);
        store.grant(name, group);
        audit.record(by, "user.grant", null, AuditLog.OK, name + " + group " + group);
    }

    public void revoke(Caller by, String name, String group) {
        existing(name);
        if (!store.revoke(name, group)) throw new AccessException("'" + name + "' was not granted group '" + group + "'");
        audit.record(by, "user.revoke", null, AuditLog.OK, name + " - group " + group);
    }

    /** Disables (signs out, refuses sign-in and tokens) or enables a user. */
    public void setDisabled(Caller by, String name, boolean disabled) {
        User u = existing(name);
        if (disabled && u.role() == Role.ADMINISTRATOR) keepAnAdministrator(name);
        store.setDisabled(name, disabled);
        if (store.find(name).map(UserAccounts.Account::disabled).orElse(!disabled) != disabled) {
            audit.record(by, disabled ? "user.disable" : "user.enable", null, AuditLog.FAILED, name + ": not stored");
            throw new IllegalStateException("'" + name + "' was not " + (disabled ? "disabled" : "enabled") + " as written: something in"
                    + " server.db undoes it (bin/trailhound verify names it; a server restart removes foreign triggers)");
        }
        audit.record(by, disabled ? "user.disable" : "user.enable", null, AuditLog.OK, name);
    }

    /**
     * Sets a new password (generated when null) that the user must change at next sign-in.
     *
     * @return the new password, to hand over once
     */
    public String resetPassword(Caller by, String name, String password) {
        Credentials.requireNotToken(by, audit, "user.password-reset", "set passwords", "bin/trailhound users reset-password");
        existing(name);
        String pw = password == null ? PasswordPolicy.generate() : password;
        PasswordPolicy.check(name, pw);
        store.setPassword(name, hasher.hash(pw), true);
        audit.record(by, "user.password-reset", null, AuditLog.OK, name);
        return pw;
    }

    /**
     * The user changes their own password.
     *
     * @throws AccessException when the current password is wrong or the new one weak or unchanged
     */
    public void changeOwnPassword(Caller self, String current, String next) {
        Credentials.requireNotToken(self, audit, "user.password-change", "change passwords", "the Account page");
        UserAccounts.Account a = store.find(self.user()).orElseThrow(() -> new AccessException("unknown user '" + self.user() + "'"));
        // A borrowed session must not become a way to guess the password: the sign-in backoff applies.
        SignInThrottle.Verdict verdict = throttle.check(self.user(), self.address());
        if (verdict.seconds() > 0) {
            if (verdict.firstRefusal()) {
                audit.record(self, "user.password-change", null, AuditLog.DENIED, "throttled for " + verdict.seconds()
                        + " s after repeated failures; further refused attempts in this wait are not recorded");
            }
            throw new TooManyAttemptsException(verdict.seconds());
        }
        if (current == null || !hasher.verify(current, a.passwordHash())) {
            throttle.failed(self.user(), self.address());
            audit.record(self, "user.password-change", null, AuditLog.FAILED, "wrong current password");
            throw new AccessException("the current password is wrong");
        }
        if (next != null && next.equals(current)) throw new AccessException("the new password must differ from the current one");
        PasswordPolicy.check(self.user(), next);
        store.setPassword(self.user(), hasher.hash(next), false);
        throttle.succeeded(self.user());
        audit.record(self, "user.password-change", null, AuditLog.OK, null);
        forgetInitialPassword(current);
    }

    /** The first admin's password file says nothing true any more once that password is changed. */
    private void forgetInitialPassword(String changed) {
        if (root == null) return;
        Path file = root.resolve(INITIAL_PASSWORD_FILE);
        try {
            if (Files.isRegularFile(file) && Files.readString(file).strip().equals(changed)) Files.delete(file);
        } catch (IOException e) {
            // only a stale hint is left behind: nothing to fail the change for
        }
    }

    private User existing(String name) {
        return find(name).orElseThrow(() -> new AccessException("unknown user '" + name + "'"));
    }

    private void keepAnAdministrator(String name) {
        boolean another = list().stream().anyMatch(u -> !u.name().equals(name) && u.role() == Role.ADMINISTRATOR && !u.disabled());
        if (!another) throw new AccessException("'" + name + "' is the last administrator; make another administrator first");
    }

    private void checkGroup(String group) {
        if (groups.find(group).isEmpty()) {
            throw new AccessException("unknown group '" + group + "'; groups: "
                    + String.join(", ", groups.list().stream().map(ComputerGroups.Group::name).toList()));
        }
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new AccessException("a user name is 1 to 64 letters, digits and . _ @ - (starting with a letter or digit)");
        }
        if (name.equalsIgnoreCase(SYSTEM)) {
            throw new AccessException("'" + name + "' is the name Trailhound's own audit entries carry; choose another");
        }
    }

    private static User user(UserAccounts.Account a) {
        return new User(a.name(), Role.parse(a.role()), a.disabled(), a.mustChangePassword(), a.groups(), a.createdAt());
    }
}
