package trailhound.opensearch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/**
 * How to reach an OpenSearch cluster: {@code serve --opensearch URL [--opensearch-user U
 * --opensearch-password-file F] [--opensearch-ca PEM]}. Basic authentication only with a user; the
 * password is read from a file (never a command-line argument, which other users of the machine can
 * read in the process list); TLS trusts the JDK's CAs, or only the given PEM's certificates.
 *
 * @param url {@code http(s)://host:port}, no path
 * @param user null for none
 * @param passwordFile null without a user; its first line is the password
 * @param caPem null for the JDK's trust store
 */
public record OpenSearchConnection(URI url, String user, Path passwordFile, Path caPem) {
    public OpenSearchConnection {
        if (url == null || url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new IllegalArgumentException("the OpenSearch URL must look like https://host:9200, was '" + url + "'");
        }
        if ((user == null) != (passwordFile == null)) {
            throw new IllegalArgumentException("give both --opensearch-user and --opensearch-password-file, or neither");
        }
        if (caPem != null && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("--opensearch-ca is for an https:// URL, the URL is " + url);
        }
    }

    /** A plain connection without credentials (the test and bench node). */
    public static OpenSearchConnection of(String url) {
        return new OpenSearchConnection(URI.create(url), null, null, null);
    }

    /**
     * A client for the cluster; close its transport ({@code client._transport().close()}) when done.
     *
     * @throws IOException when the password file or CA file cannot be read (the message names it)
     */
    public OpenSearchClient client() throws IOException {
        HttpHost host = new HttpHost(url.getScheme(), url.getHost(), url.getPort() < 0 ? 9200 : url.getPort());
        ApacheHttpClient5TransportBuilder builder = ApacheHttpClient5TransportBuilder.builder(host)
                .setMapper(new JacksonJsonpMapper());
        BasicCredentialsProvider credentials = null;
        if (user != null) {
            String password;
            try {
                password = Files.readString(passwordFile, StandardCharsets.UTF_8).lines().findFirst().orElse("");
            } catch (IOException e) {
                throw new IOException("cannot read the OpenSearch password file " + passwordFile + ": " + e.getMessage(), e);
            }
            credentials = new BasicCredentialsProvider();
            credentials.setCredentials(new AuthScope(host), new UsernamePasswordCredentials(user, password.toCharArray()));
        }
        SSLContext ssl = caPem == null ? null : sslContext(caPem);
        BasicCredentialsProvider auth = credentials;
        builder.setHttpClientConfigCallback(http -> {
            if (auth != null) http.setDefaultCredentialsProvider(auth);
            if (ssl != null) {
                http.setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(ssl).build()).build());
            }
            return http;
        });
        return new OpenSearchClient(builder.build());
    }

    private static SSLContext sslContext(Path caPem) throws IOException {
        try (InputStream in = Files.newInputStream(caPem)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + n++, c);
            }
            if (n == 0) throw new IOException("no certificate in " + caPem + " (expected PEM: -----BEGIN CERTIFICATE-----)");
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use " + caPem + " as the OpenSearch CA: " + e.getMessage(), e);
        }
    }
}
