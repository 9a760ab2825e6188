package trailhound.web.tls;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/*
 * The certificate a server makes for itself when none is configured.
 *
 * EC P-256 with ECDSA/SHA-256: every browser and TLS stack takes it, and making it takes milliseconds
 * (RSA 3072 takes a second or more). Valid 825 days, not longer: Apple's platforms refuse TLS server
 * certificates valid longer than that even when the user trusts them, and agents pin the key, which
 * outlives the certificate when an administrator re-issues it for the same key (docs/https.md).
 * Subject alternative names: the host name, localhost, 127.0.0.1, ::1 and every address of the
 * machine's interfaces, so a browser or agent reaching the server by any of them sees a name that matches.
 */
final class SelfSigned {
    static final Duration VALIDITY = Duration.ofDays(825);

    private SelfSigned() {}

    record Made(KeyPair keys, X509Certificate certificate) {}

    /** A new key pair and a certificate for it, signed by itself, naming {@code dnsNames} and {@code addresses}. */
    static Made make(List<String> dnsNames, List<InetAddress> addresses, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair keys = generator.generateKeyPair();
            return new Made(keys, certify(keys, dnsNames, addresses, now));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a key pair: " + e, e);
        }
    }

    /** A new certificate for the key of {@code old} (same pin), for this machine's names and addresses of today. */
    static X509Certificate renew(X509Certificate old, PrivateKey key, Instant now) {
        return certify(new KeyPair(old.getPublicKey(), key), machineNames(), machineAddresses(), now);
    }

    private static X509Certificate certify(KeyPair keys, List<String> dnsNames, List<InetAddress> addresses, Instant now) {
        try {
            X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Trailhound");
            name.addRDN(BCStyle.CN, dnsNames.isEmpty() ? "localhost" : dnsNames.get(0));
            X500Name subject = name.build();
            BigInteger serial = new BigInteger(127, new SecureRandom()).add(BigInteger.ONE); // positive, unpredictable
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
            List<GeneralName> names = new ArrayList<>();
            for (String dns : dnsNames) names.add(new GeneralName(GeneralName.dNSName, dns));
            for (InetAddress a : addresses) names.add(new GeneralName(GeneralName.iPAddress, a.getHostAddress().replaceFirst("%.*$", "")));
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot make a self-signed certificate: " + e, e);
        }
    }

    /** This machine's host name (when it has one) and {@code localhost}. */
    static List<String> machineNames() {
        Set<String> names = new LinkedHashSet<>();
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (!host.isBlank() && !Character.isDigit(host.charAt(0)) && !host.contains(":")) names.add(host.toLowerCase(java.util.Locale.ROOT));
        } catch (UnknownHostException e) {
            // a machine whose own name does not resolve: localhost and the addresses still work
        }
        names.add("localhost");
        return List.copyOf(names);
    }

    /** 127.0.0.1, ::1 and every address of this machine's interfaces that are up. */
    static List<InetAddress> machineAddresses() {
        Set<InetAddress> addresses = new LinkedHashSet<>();
        try {
            addresses.add(InetAddress.getByName("127.0.0.1"));
            addresses.add(InetAddress.getByName("::1"));
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp()) continue;
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a.isLoopbackAddress()) continue;
                    // the scope (%eth0) of a link-local IPv6 address is no part of the address a certificate names
                    addresses.add(a instanceof Inet6Address ? InetAddress.getByAddress(a.getAddress()) : a);
                }
            }
        } catch (SocketException | UnknownHostException e) {
            // no interface list (a sandbox): loopback only
        }
        return List.copyOf(addresses);
    }
}
