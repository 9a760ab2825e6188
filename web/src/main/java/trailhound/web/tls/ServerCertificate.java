package trailhound.web.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import trailhound.protocol.KeyPin;

/**
 * The certificate and private key a server serves HTTPS with, from its data folder:
 *
 * <pre>
 * certs/httpPublicCert.pem   the certificate, PEM; may be a chain: the server's first, then intermediates
 * certs/httpPrivKey.pem      its private key, PEM, unencrypted: PKCS#8, PKCS#1 (RSA) or SEC1 (EC)
 * certs/nextPublicKey.pem    optional: the public key (or a certificate) the server will switch to next,
 *                            whose pin is shown beside the current one so agents can learn it first
 * </pre>
 *
 * <p>{@link #forDataFolder} loads the pair, or when neither file exists makes a self-signed one (EC
 * P-256, valid 825 days, for this machine's names and addresses) and writes it there, the key
 * readable by its owner only. A self-signed certificate the server made that expires within 30 days
 * is made again for the same key, so the pin stays. Anything else wrong (one file only, not PEM, an
 * encrypted key, a key that does not belong to the certificate) is a {@link TlsException} naming
 * the file and what to do. See docs/https.md.
 *
 * <p>Immutable and thread-safe.
 */
public final class ServerCertificate {
    public static final String FOLDER = "certs";
    public static final String CERTIFICATE = "httpPublicCert.pem";
    public static final String KEY = "httpPrivKey.pem";
    public static final String NEXT_PUBLIC_KEY = "nextPublicKey.pem";
    private static final java.time.Duration RENEW_BEFORE = java.time.Duration.ofDays(30);

    /** How this start came by the certificate. */
    public enum Origin { LOADED, MADE, RENEWED }

    private final List<X509Certificate> chain;
    private final PrivateKey key;
    private final Path certificateFile;
    private final Optional<KeyPin> nextPin;
    private final Origin origin;

    private ServerCertificate(List<X509Certificate> chain, PrivateKey key, Path certificateFile, Optional<KeyPin> nextPin, Origin origin) {
        this.chain = List.copyOf(chain);
        this.key = key;
        this.certificateFile = certificateFile;
        this.nextPin = nextPin;
        this.origin = origin;
    }

    /**
     * The pair in {@code dataRoot/certs}, made there first when neither file exists.
     *
     * @throws TlsException when only one of the two exists, or they cannot be read, or do not match
     * @throws UncheckedIOException when a new pair cannot be written
     */
    public static ServerCertificate forDataFolder(Path dataRoot) {
        Path folder = dataRoot.resolve(FOLDER);
        Path cert = folder.resolve(CERTIFICATE);
        Path key = folder.resolve(KEY);
        boolean hasCert = Files.exists(cert);
        boolean hasKey = Files.exists(key);
        if (!hasCert && !hasKey) {
            SelfSigned.Made made = SelfSigned.make(SelfSigned.machineNames(), SelfSigned.machineAddresses(), Instant.now());
            write(folder, made.keys().getPrivate(), made.certificate());
            return new ServerCertificate(List.of(made.certificate()), made.keys().getPrivate(), cert, nextPin(folder), Origin.MADE);
        }
        if (!hasKey) {
            throw new TlsException(key, cert + " is there but its private key " + key + " is not: put the key there (PEM),"
                    + " or delete " + cert + " to have the server make a self-signed pair");
        }
        if (!hasCert) {
            throw new TlsException(cert, key + " is there but its certificate " + cert + " is not: put the certificate"
                    + " (PEM, with its intermediates after it) there, or delete " + key + " to have the server make a self-signed pair");
        }
        ServerCertificate loaded = load(cert, key);
        X509Certificate leaf = loaded.leaf();
        if (madeByUs(leaf) && leaf.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
            X509Certificate renewed = SelfSigned.renew(leaf, loaded.key, Instant.now());
            write(folder, null, renewed);
            return new ServerCertificate(List.of(renewed), loaded.key, cert, loaded.nextPin, Origin.RENEWED);
        }
        return loaded;
    }

    /**
     * The pair in {@code certificateFile} and {@code keyFile}, with the next key's pin when the
     * certificate's folder holds {@value #NEXT_PUBLIC_KEY}.
     *
     * @throws TlsException when a file cannot be read or the key does not belong to the first certificate
     */
    public static ServerCertificate load(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain = Pem.certificates(certificateFile);
        PrivateKey key = Pem.privateKey(keyFile);
        if (!belongs(key, chain.get(0).getPublicKey())) {
            boolean later = chain.stream().skip(1).anyMatch(c -> belongs(key, c.getPublicKey()));
            throw new TlsException(keyFile, later
                    ? "the key in " + keyFile + " belongs to a certificate in " + certificateFile + " that is not the first:"
                            + " put the server's certificate first, then its intermediates"
                    : "the key in " + keyFile + " does not belong to the certificate in " + certificateFile
                            + ": put the key that was made with that certificate there (or the certificate issued for this key)");
        }
        return new ServerCertificate(chain, key, certificateFile, nextPin(certificateFile.getParent()), Origin.LOADED);
    }

    /**
     * The server certificate in {@code dataRoot/certs/httpPublicCert.pem} (the first of the file):
     * what a CLI command on this machine trusts, and nothing else, to reach the server on the folder.
     *
     * @throws TlsException when the file is missing or unreadable
     */
    public static X509Certificate servedIn(Path dataRoot) {
        return Pem.certificates(dataRoot.resolve(FOLDER).resolve(CERTIFICATE)).get(0);
    }

    /** The server's certificate, then the intermediates, as in the file. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The server's own certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** The file the certificate came from (or was written to). */
    public Path certificateFile() {
        return certificateFile;
    }

    /** The pin of the server's public key, the one agents take. */
    public KeyPin pin() {
        return KeyPin.of(leaf().getPublicKey());
    }

    /** The pin of {@value #NEXT_PUBLIC_KEY}, when that file exists. */
    public Optional<KeyPin> nextPin() {
        return nextPin;
    }

    public Origin origin() {
        return origin;
    }

    /** A new in-memory key store holding the pair under the alias {@code server}, protected by {@code password}. */
    public KeyStore keyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, password, chain.toArray(X509Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot put the certificate in a key store: " + e, e);
        }
    }

    /** True when a signature made with {@code key} verifies with {@code publicKey}: the two are a pair. */
    private static boolean belongs(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null || !algorithm.equals(switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> "";
        })) {
            return false;
        }
        try {
            byte[] probe = "trailhound key pair check".getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(publicKey);
            verify.update(probe);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key on one curve, the certificate's on another
        }
    }

    private static boolean madeByUs(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal())
                && c.getSubjectX500Principal().getName().contains("O=Trailhound");
    }

    private static Optional<KeyPin> nextPin(Path folder) {
        Path next = folder.resolve(NEXT_PUBLIC_KEY);
        return Files.exists(next) ? Optional.of(KeyPin.of(Pem.publicKey(next))) : Optional.empty();
    }

    /** Writes the key (unless null; owner read/write only) and the certificate, each whole under a temporary name first. */
    private static void write(Path folder, PrivateKey key, X509Certificate certificate) {
        try {
            Files.createDirectories(folder);
            if (key != null) replace(folder.resolve(KEY), Pem.encode(key), true);
            replace(folder.resolve(CERTIFICATE), Pem.encode(List.of(certificate)), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the server's certificate into " + folder + ": " + e.getMessage(), e);
        }
    }

    private static void replace(Path target, String pem, boolean ownerOnly) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(ownerOnly ? "rw-------" : "rw-r--r--")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
