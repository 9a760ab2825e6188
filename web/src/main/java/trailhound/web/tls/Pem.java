package trailhound.web.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reading and writing PEM files with Bouncy Castle's parser (no ASN.1 by hand). Reads: certificates
 * ({@code CERTIFICATE}), private keys as PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY})
 * or SEC1 ({@code EC PRIVATE KEY}, an {@code EC PARAMETERS} block before it is skipped), public keys
 * ({@code PUBLIC KEY}, {@code RSA PUBLIC KEY}). Encrypted keys are refused with the openssl command
 * that decrypts them. Every failure is a {@link TlsException} naming the file.
 */
final class Pem {
    private Pem() {}

    /** The certificates in {@code file}, in file order (for a server: the leaf first, then intermediates). */
    static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object o : objects(file)) {
            if (!(o instanceof X509CertificateHolder holder)) {
                throw new TlsException(file, file + " holds a " + describe(o) + " where certificates (BEGIN CERTIFICATE) were expected");
            }
            try {
                certificates.add(converter.getCertificate(holder));
            } catch (CertificateException e) {
                throw new TlsException(file, file + " holds a certificate Java cannot read (" + e.getMessage() + ")", e);
            }
        }
        if (certificates.isEmpty()) throw new TlsException(file, file + " holds no PEM certificate (BEGIN CERTIFICATE)");
        return certificates;
    }

    /** The one private key in {@code file}. */
    static PrivateKey privateKey(Path file) {
        List<Object> keys = objects(file).stream().filter(o -> !(o instanceof ASN1ObjectIdentifier || o instanceof X9ECParameters)).toList();
        if (keys.size() != 1) {
            throw new TlsException(file, file + " should hold one PEM private key, holds " + (keys.isEmpty() ? "none" : keys.size() + " blocks"));
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            return switch (keys.get(0)) {
                case PrivateKeyInfo pkcs8 -> converter.getPrivateKey(pkcs8);
                case PEMKeyPair traditional -> converter.getPrivateKey(traditional.getPrivateKeyInfo()); // SEC1 may omit the public key
                case PEMEncryptedKeyPair e -> throw encrypted(file);
                case PKCS8EncryptedPrivateKeyInfo e -> throw encrypted(file);
                case Object other -> throw new TlsException(file, file + " holds a " + describe(other) + " where a private key was expected");
            };
        } catch (IOException e) {
            throw new TlsException(file, file + " holds a private key Java cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** The public key in {@code file}: a public key, or the first certificate's. */
    static PublicKey publicKey(Path file) {
        Object first = objects(file).stream().findFirst()
                .orElseThrow(() -> new TlsException(file, file + " holds no PEM public key (BEGIN PUBLIC KEY)"));
        try {
            return switch (first) {
                case SubjectPublicKeyInfo spki -> new JcaPEMKeyConverter().getPublicKey(spki);
                case X509CertificateHolder holder -> new JcaX509CertificateConverter().getCertificate(holder).getPublicKey();
                case Object other -> throw new TlsException(file, file + " holds a " + describe(other) + " where a public key was expected");
            };
        } catch (IOException | CertificateException e) {
            throw new TlsException(file, file + " holds a public key Java cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** {@code certificates} as PEM, in order. */
    static String encode(List<X509Certificate> certificates) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            for (X509Certificate c : certificates) pem.writeObject(c);
        }
        return text.toString();
    }

    /** {@code key} as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
    static String encode(PrivateKey key) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(new JcaPKCS8Generator(key, null));
        }
        return text.toString();
    }

    private static List<Object> objects(Path file) {
        List<Object> objects = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1); PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) objects.add(o);
        } catch (NoSuchFileException e) {
            throw new TlsException(file, file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new TlsException(file, "cannot read " + file + ": permission denied; run Trailhound as the user who owns it", e);
        } catch (IOException | RuntimeException e) { // PEMException (an IOException), or a runtime exception on bad base64
            throw new TlsException(file, file + " is not a PEM file Trailhound can read (" + e.getMessage() + ")", e);
        }
        return objects;
    }

    private static TlsException encrypted(Path file) {
        return new TlsException(file, file + " is encrypted with a passphrase, which the server cannot ask for:"
                + " decrypt it with `openssl pkey -in " + file + " -out plain.pem` and put plain.pem in its place");
    }

    private static String describe(Object o) {
        return switch (o) {
            case X509CertificateHolder c -> "certificate";
            case PrivateKeyInfo k -> "private key";
            case PEMKeyPair k -> "private key";
            case SubjectPublicKeyInfo k -> "public key";
            default -> o.getClass().getSimpleName();
        };
    }
}
