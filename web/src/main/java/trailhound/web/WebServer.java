package trailhound.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import trailhound.ingest.DataDir;
import trailhound.ingest.ReindexJobs;
import trailhound.web.auth.Auth;
import trailhound.web.auth.Users;
import trailhound.web.distribution.DistributionPages;
import trailhound.web.endpoints.EndpointPages;
import trailhound.web.handoff.CliApi;
import trailhound.web.handoff.ServerFile;
import trailhound.web.jobs.JobPages;
import trailhound.web.process.ProcessPages;
import trailhound.web.reputation.ReputationPages;
import trailhound.web.reputation.ReputationService;
import trailhound.web.search.SearchPages;

/**
 * The analyst workbench over a data folder: the one public entry of module {@code web}.
 *
 * <pre>{@code
 * try (WebServer server = WebServer.start(data, WebOptions.defaults().withPort(0))) {
 *     server.initialAdminPassword().ifPresent(p -> System.out.println("admin password: " + p));
 *     System.out.println(server.url());
 * }
 * }</pre>
 *
 * <p>While it runs, the server leaves {@code server.json} in the data folder ({@link ServerFile}): CLI
 * commands that write the folder find it there and hand their work to this server. It does not check
 * for another server on the folder; the command line does that before starting one.
 *
 * <p>Thread-safe. The server does not own the {@link DataDir}: closing the server leaves it open.
 */
public final class WebServer implements AutoCloseable {
    private final Javalin app;
    private final String host;
    private final Optional<String> initialAdminPassword;
    private final Users users;
    private final ReputationService reputation;
    private final ReindexJobs jobs;
    private final CliApi handOff;

    private WebServer(Javalin app, String host, Optional<String> initialAdminPassword, Users users, ReputationService reputation,
            ReindexJobs jobs, CliApi handOff) {
        this.app = app;
        this.host = host;
        this.initialAdminPassword = initialAdminPassword;
        this.users = users;
        this.reputation = reputation;
        this.jobs = jobs;
        this.handOff = handOff;
    }

    /**
     * Starts serving {@code data}. On a data folder without users it first creates {@code admin}
     * with a random password (see {@link #initialAdminPassword()}).
     *
     * @throws IllegalStateException when the port is taken or the templates cannot be loaded
     * @throws UncheckedIOException when {@code server.json} cannot be written into the data folder
     */
    public static WebServer start(DataDir data, WebOptions options) {
        Users users = new Users(data.store().users());
        Optional<String> adminPassword = users.ensureInitialAdmin(data.root());
        ObjectMapper json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        ReputationService reputation = ReputationService.create(data.root(), Optional.ofNullable(options.virusTotal()));
        WebContext ctx = new WebContext(data, Templates.engine(options.templateSources()), options.clock(), json, reputation);
        ReindexJobs jobs = new ReindexJobs(data, Runtime.getRuntime().availableProcessors());
        CliApi handOff = CliApi.create(ctx, jobs);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.staticFiles.enableWebjars();
            config.staticFiles.add("/static", Location.CLASSPATH);
            RequestTimings.register(config.routes);
            config.routes.before(WebServer::securityHeaders);
            ResponseHeaders.register(config.routes);
            Auth.register(config.routes, ctx, users);
            Errors.register(config.routes, ctx);
            registerFeatures(config.routes, ctx);
            JobPages.register(config.routes, ctx, jobs);
            handOff.register(config.routes);
        });
        try {
            app.start(options.host(), options.port());
        } catch (RuntimeException e) {
            reputation.close();
            jobs.close();
            throw e;
        }
        jobs.resumeUnfinished(); // a re-index interrupted by a stop or a crash carries on
        WebServer server = new WebServer(app, options.host(), adminPassword, users, reputation, jobs, handOff);
        try {
            handOff.announce(server.localUrl());
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException("cannot write " + data.root().resolve(ServerFile.NAME)
                    + ", which tells CLI commands that this server writes the folder", e);
        }
        return server;
    }

    private static void registerFeatures(RoutesConfig routes, WebContext ctx) {
        routes.get("/", http -> http.redirect("/endpoints"));
        EndpointPages.register(routes, ctx);
        SearchPages.register(routes, ctx);
        DistributionPages.register(routes, ctx);
        ProcessPages.register(routes, ctx);
        ReputationPages.register(routes, ctx);
    }

    /**
     * Headers that stop MIME sniffing, framing (clickjacking), leaking URLs, which hold queries, to other
     * sites, and running or styling with anything but the server's own files (no inline script or style).
     */
    private static void securityHeaders(io.javalin.http.Context http) {
        http.header("Content-Security-Policy", ResponseHeaders.CONTENT_SECURITY_POLICY);
        http.header("X-Content-Type-Options", "nosniff");
        http.header("X-Frame-Options", "DENY");
        http.header("Referrer-Policy", "same-origin");
    }

    /** The port listened on (the chosen one when started with port 0). */
    public int port() {
        return app.port();
    }

    /** {@code http://host:port}. */
    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + (h.equals("0.0.0.0") ? "localhost" : h) + ":" + port();
    }

    /**
     * Where a process on this machine reaches the server: loopback when it listens on loopback or on
     * every address, else the one address it listens on.
     */
    private String localUrl() throws UnknownHostException {
        InetAddress listening = InetAddress.getByName(host);
        String h;
        if (listening.isAnyLocalAddress()) {
            h = listening instanceof java.net.Inet6Address ? "[::1]" : "127.0.0.1";
        } else {
            h = listening instanceof java.net.Inet6Address ? "[" + listening.getHostAddress() + "]" : listening.getHostAddress();
        }
        return "http://" + h + ":" + port();
    }

    /** The password of the {@code admin} created by this start, to print once; empty when users existed. */
    public Optional<String> initialAdminPassword() {
        return initialAdminPassword;
    }

    /** The user store, to add users (e.g. from the CLI). */
    public Users users() {
        return users;
    }

    /** Stops serving and removes {@code server.json} (unless a later server replaced it). */
    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            try {
                handOff.withdraw();
            } finally {
                jobs.close();
                reputation.close();
            }
        }
    }
}
