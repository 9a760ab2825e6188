package trailhound.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An analyst at the server's JSON API: signs in through the login form (cookie and CSRF token), as a browser does. */
final class AnalystClient {
    private final String url;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    private AnalystClient(String url, SSLContext tls) {
        this.url = url;
        HttpClient.Builder builder = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER);
        this.http = (tls == null ? builder : builder.sslContext(tls)).build();
    }

    static AnalystClient signIn(String url, String user, String password) throws Exception {
        return signIn(url, user, password, null);
    }

    /** Signs in over HTTPS trusting {@code tls}'s anchors (a served folder's self-signed certificate), or plain HTTP when null. */
    static AnalystClient signIn(String url, String user, String password, SSLContext tls) throws Exception {
        AnalystClient c = new AnalystClient(url, tls);
        HttpResponse<String> form = c.get("/login");
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form.body());
        if (!token.find()) throw new AssertionError("no CSRF token in the login form");
        String body = "_csrf=" + enc(token.group(1)) + "&username=" + enc(user) + "&password=" + enc(password);
        HttpResponse<String> done = c.http.send(HttpRequest.newBuilder(URI.create(url + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (done.statusCode() != 303) throw new AssertionError("sign-in failed with " + done.statusCode());
        return c;
    }

    /** Changes the signed-in user's password through the form, as the first sign-in over HTTPS requires. */
    AnalystClient changePassword(String current, String next) throws Exception {
        HttpResponse<String> form = get("/account/password");
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form.body());
        if (!token.find()) throw new AssertionError("no CSRF token in the password form");
        String body = "_csrf=" + enc(token.group(1)) + "&current_password=" + enc(current) + "&new_password=" + enc(next)
                + "&repeat_password=" + enc(next);
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create(url + "/account/password"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (done.statusCode() != 200 && done.statusCode() != 303) throw new AssertionError("password change answered " + done.statusCode());
        return this;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET answering 200 with JSON; fails the test otherwise. */
    JsonNode json(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
        return json.readTree(r.body());
    }

    /** Events of the endpoint, by the count API; -1 when the server does not know the endpoint (404). */
    long count(String endpoint) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/v1/endpoints/" + enc(endpoint) + "/count");
        if (r.statusCode() == 404) return -1;
        if (r.statusCode() != 200) throw new AssertionError("count of " + endpoint + " answered " + r.statusCode() + ": " + r.body());
        return json.readTree(r.body()).get("total").asLong();
    }

    /** A TLS context trusting only the PEM certificate in {@code certificate}. */
    static SSLContext trusting(Path certificate) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            store.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
