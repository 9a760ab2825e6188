package trailhound.web.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.protocol.KeyPin;

/** The certificate files of a data folder: the formats read, and every way they can be wrong. */
class ServerCertificateTest {
    @TempDir
    Path data;

    Path certFile() {
        return data.resolve("certs/httpPublicCert.pem");
    }

    Path keyFile() {
        return data.resolve("certs/httpPrivKey.pem");
    }

    @Test
    void onlyTheCertificate_error_namesTheMissingKeyAndWhatToDo() throws Exception {
        TestPki.Issued leaf = TestPki.leaf(TestPki.ca("CA"), TestPki.ec(), "s");
        TestPki.pem(certFile(), leaf.certificate());
        TlsException e = assertThrows(TlsException.class, () -> ServerCertificate.forDataFolder(data));
        assertEquals(keyFile(), e.file());
        assertTrue(e.getMessage().contains(keyFile() + " is not: put the key there"), e.getMessage());
        assertTrue(Files.notExists(keyFile()), "nothing made beside an administrator's certificate");
    }

    @Test
    void onlyTheKey_error_namesTheMissingCertificate() throws Exception {
        TestPki.pem(keyFile(), TestPki.ec().getPrivate());
        TlsException e = assertThrows(TlsException.class, () -> ServerCertificate.forDataFolder(data));
        assertEquals(certFile(), e.file());
        assertTrue(e.getMessage().contains("its certificate " + certFile() + " is not"), e.getMessage());
    }

    @Test
    void notPem_error_namesTheFile() throws Exception {
        TestPki.Issued leaf = TestPki.leaf(TestPki.ca("CA"), TestPki.ec(), "s");
        TestPki.pem(keyFile(), leaf.keys().getPrivate());
        Files.write(certFile(), leaf.certificate().getEncoded()); // DER, not PEM
        TlsException e = assertThrows(TlsException.class, () -> ServerCertificate.forDataFolder(data));
        assertEquals(certFile(), e.file());
        assertTrue(e.getMessage().startsWith(certFile() + " holds no PEM certificate"), e.getMessage());

        Files.writeString(certFile(), "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        e = assertThrows(TlsException.class, () -> ServerCertificate.forDataFolder(data));
        assertTrue(e.getMessage().startsWith(certFile() + " is not a PEM file Trailhound can read"), e.getMessage());
    }

    @Test
    void keyAndCertificateSwapped_error_saysWhatWasFound() throws Exception {
        TestPki.Issued leaf = TestPki.leaf(TestPki.ca("CA"), TestPki.ec(), "s");
        TestPki.pem(certFile(), leaf.keys().getPrivate());
        TestPki.pem(keyFile(), leaf.certificate());
        TlsException e = assertThrows(TlsException.class, () -> ServerCertificate.forDataFolder(data));
        assertEquals(certFile() + " holds a private key where certificates (BEGIN CERTIFICATE) were expected", e.getMessage());
    }

    @Test
    void mismatchedPair_error_namesBothFiles() throws Exception {
        TestPki.Issued ca = TestPki.ca("CA");
        TestPki.pem(certFile(), TestPki.leaf(ca, TestPki.rsa(), "s").certificate());
        TestPki.pem(keyFile(), TestPki.rsa().getPrivate());
        TlsException e = assertThrows(TlsException.class, () -> ServerCertificate.forDataFolder(data));
        assertEquals(keyFile(), e.file());
        assertTrue(e.getMessage().contains("does not belong to the certificate in " + certFile()), e.getMessage());

        TestPki.pem(keyFile(), TestPki.ec().getPrivate()); // another key type altogether
        e = assertThrows(TlsException.class, () -> ServerCertificate.forDataFolder(data));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void chainInTheWrongOrder_error_saysToPutTheServersFirst() throws Exception {
        TestPki.Issued ca = TestPki.ca("CA");
        TestPki.Issued leaf = TestPki.leaf(ca, TestPki.ec(), "s");
        TestPki.pem(certFile(), ca.certificate(), leaf.certificate());
        TestPki.pem(keyFile(), leaf.keys().getPrivate());
        TlsException e = assertThrows(TlsException.class, () -> ServerCertificate.forDataFolder(data));
        assertTrue(e.getMessage().contains("put the server's certificate first"), e.getMessage());
    }

    @Test
    void encryptedKey_error_givesTheOpensslCommand() throws Exception {
        TestPki.Issued leaf = TestPki.leaf(TestPki.ca("CA"), TestPki.ec(), "s");
        TestPki.pem(certFile(), leaf.certificate());
        var encryptor = new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).setPassword("secret".toCharArray()).build();
        TestPki.pem(keyFile(), new JcaPKCS8Generator(leaf.keys().getPrivate(), encryptor).generate());
        TlsException e = assertThrows(TlsException.class, () -> ServerCertificate.forDataFolder(data));
        assertTrue(e.getMessage().contains("encrypted with a passphrase") && e.getMessage().contains("openssl pkey -in " + keyFile()),
                e.getMessage());
    }

    @Test
    void pkcs8Key_andNextPublicKey_bothPinsKnown() throws Exception {
        TestPki.Issued leaf = TestPki.leaf(TestPki.ca("CA"), TestPki.ec(), "s");
        TestPki.pem(certFile(), leaf.certificate());
        TestPki.pem(keyFile(), new JcaPKCS8Generator(leaf.keys().getPrivate(), null).generate());
        assertTrue(Files.readString(keyFile()).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(ServerCertificate.forDataFolder(data).nextPin().isEmpty());

        var next = TestPki.rsa();
        TestPki.pem(data.resolve("certs/nextPublicKey.pem"), next.getPublic());
        ServerCertificate certificate = ServerCertificate.forDataFolder(data);
        assertEquals(KeyPin.of(leaf.keys().getPublic()), certificate.pin());
        assertEquals(KeyPin.of(next.getPublic()), certificate.nextPin().orElseThrow());
        assertTrue(certificate.nextPin().orElseThrow().base64().startsWith("sha256/"));
        assertEquals(64, certificate.nextPin().orElseThrow().hex().length());
    }

    @Test
    void selfSignedAboutToExpire_madeAgainForTheSameKey_pinKept() throws Exception {
        SelfSigned.Made old = SelfSigned.make(List.of("localhost"), SelfSigned.machineAddresses(),
                Instant.now().minus(SelfSigned.VALIDITY).plus(Duration.ofDays(3)));
        Files.createDirectories(certFile().getParent());
        Files.writeString(certFile(), Pem.encode(List.of(old.certificate())));
        Files.writeString(keyFile(), Pem.encode(old.keys().getPrivate()));
        ServerCertificate renewed = ServerCertificate.forDataFolder(data);
        assertEquals(ServerCertificate.Origin.RENEWED, renewed.origin());
        assertEquals(KeyPin.of(old.keys().getPublic()), renewed.pin());
        assertTrue(renewed.leaf().getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(800))));
        assertEquals(renewed.leaf(), TestPki.read(certFile()).get(0));
        assertEquals(ServerCertificate.Origin.LOADED, ServerCertificate.forDataFolder(data).origin());
    }
}
