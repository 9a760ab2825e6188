package trailhound.web.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import trailhound.store.StoreException;
import trailhound.store.UserAccounts;

/**
 * The web users (the store's {@link UserAccounts}): name, role, Argon2id hash. Thread-safe.
 */
public final class Users {
    static final String INITIAL_PASSWORD_FILE = "initial-admin-password";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final UserAccounts accounts;
    private final PasswordHasher hasher = new PasswordHasher();

    public Users(UserAccounts accounts) {
        this.accounts = accounts;
    }

    /**
     * On a data folder without users, creates {@code admin} with a random password, writes it to
     * {@code <root>/initial-admin-password} (owner read/write only) and returns it; otherwise empty.
     */
    public Optional<String> ensureInitialAdmin(Path root) {
        if (count() > 0) {
            return Optional.empty();
        }
        String password = randomPassword();
        create("admin", Role.ADMINISTRATOR, password);
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

    public void create(String name, Role role, String password) {
        if (name == null || name.isBlank() || password == null || password.length() < 8) {
            throw new IllegalArgumentException("a user needs a name and a password of at least 8 characters");
        }
        try {
            accounts.insert(name, role.label(), hasher.hash(password));
        } catch (StoreException e) {
            throw new IllegalStateException("cannot create user '" + name + "': " + e.getMessage(), e);
        }
    }

    /** The user's role when the password is right; empty for an unknown user or a wrong password. */
    Optional<Role> authenticate(String name, String password) {
        if (name == null || password == null) {
            return Optional.empty();
        }
        Optional<UserAccounts.Account> account = accounts.find(name);
        if (account.isEmpty()) {
            hasher.hash(password); // same work as a known user, so timing does not reveal names
            return Optional.empty();
        }
        return hasher.verify(password, account.get().passwordHash()) ? Optional.of(Role.parse(account.get().role()))
                : Optional.empty();
    }

    private int count() {
        return accounts.count();
    }

    private static String randomPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
