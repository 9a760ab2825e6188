package trailhound.web.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The pin as docs/https.md tells administrators to compute it, when openssl is installed (empty when not). */
final class Openssl {
    private Openssl() {}

    static Optional<String> pinOf(Path certificate) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/openssl")) && !Files.isExecutable(Path.of("/usr/local/bin/openssl"))) return Optional.empty();
        Process p = new ProcessBuilder("sh", "-c", "openssl x509 -in \"$0\" -pubkey -noout | openssl pkey -pubin -outform der"
                + " | openssl dgst -sha256", certificate.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (p.waitFor() != 0) throw new AssertionError("openssl: " + out);
        return Optional.of(out.substring(out.lastIndexOf(' ') + 1)); // "SHA2-256(stdin)= <hex>"
    }
}
