package trailhound.agent;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * The agent's identity in its state folder, {@code identity.properties}: agent id, secret, whether
 * the server has enrolled it, endpoint and the server's key pin. The agent makes its id and secret
 * and keeps them before it asks to enrol, so an agent killed before it heard the answer asks again
 * with the same identity (the server does not use the token twice for it). The folder is made owner-only (rwx------) and the file owner-only
 * (rw-------) before the secret is written, and replaced atomically, so a crash never leaves half an
 * identity. An upgrade of the agent keeps the folder and so its identity.
 */
record AgentState(String agentId, String secret, boolean enrolled, String endpoint, String serverPin) {
    static final String FILE = "identity.properties";

    /** The identity kept in {@code folder}, if the agent has enrolled. */
    static Optional<AgentState> load(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        if (!Files.exists(file)) return Optional.empty();
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String id = p.getProperty("agent_id");
        String secret = p.getProperty("secret");
        if (id == null || secret == null) {
            throw new IOException(file + " has no agent_id or secret: delete it and enrol again with --token");
        }
        return Optional.of(new AgentState(id, secret, "true".equals(p.getProperty("enrolled")), p.getProperty("endpoint"),
                p.getProperty("server_pin")));
    }

    /** A new identity, not enrolled yet: "a" and 16 random hex digits, and 32 random bytes in base64url. */
    static AgentState fresh() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        random.nextBytes(id);
        random.nextBytes(secret);
        return new AgentState("a" + java.util.HexFormat.of().formatHex(id),
                java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret), false, null, null);
    }

    /** Makes {@code folder} owner-only, creating it when absent. */
    static void preparePrivate(Path folder) throws IOException {
        Files.createDirectories(folder);
        try {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the folder inherits its parent's ACL; document choosing a private --state there
        }
    }

    void save(Path folder) throws IOException {
        preparePrivate(folder);
        Path tmp = folder.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Properties p = new Properties();
        p.setProperty("agent_id", agentId);
        p.setProperty("secret", secret);
        p.setProperty("enrolled", Boolean.toString(enrolled));
        if (endpoint != null) p.setProperty("endpoint", endpoint);
        if (serverPin != null) p.setProperty("server_pin", serverPin);
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "Trailhound agent identity: keep private; delete to enrol again");
        }
        try {
            Files.move(tmp, folder.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, folder.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
