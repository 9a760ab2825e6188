package trailhound.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.eclipse.jetty.server.ServerConnector;
import trailhound.ingest.DataDir;
import trailhound.ingest.ReindexJobs;
import java.time.Clock;
import trailhound.access.Access;
import trailhound.access.Action;
import trailhound.web.auth.Auth;
import trailhound.web.distribution.DistributionPages;
import trailhound.web.endpoints.EndpointPages;
import trailhound.web.histogram.HistogramApi;
import trailhound.web.hunt.HuntPages;
import trailhound.web.handoff.CliApi;
import trailhound.web.handoff.ServerFile;
import trailhound.web.jobs.JobPages;
import trailhound.web.process.ProcessPages;
import trailhound.web.reputation.ReputationPages;
import trailhound.web.reputation.ReputationService;
import trailhound.web.search.SearchPages;
import trailhound.web.tls.HttpsConnectors;
import trailhound.ingest.LiveIngest;
import trailhound.web.live.AgentSocket;
import trailhound.web.live.LiveApi;
import trailhound.web.live.LiveConnections;

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
 * <p>With a certificate ({@link WebOptions#withHttps}) it serves HTTPS only on its port, every answer
 * with HSTS and the cookies {@code Secure}, and optionally plain HTTP on a second port that redirects
 * every request to HTTPS ({@link HttpsConnectors} has the details).
 *
 * <p>Thread-safe. The server does not own the {@link DataDir}: closing the server leaves it open.
 */
public final class WebServer implements AutoCloseable {
    private final Javalin app;
    private final String host;
    private final boolean https;
    private final ServerConnector redirecting;
    private final Optional<String> initialAdminPassword;
    private final Access access;
    private final java.util.List<Routes.Rule> routes;
    private final ReputationService reputation;
    private final ReindexJobs jobs;
    private final CliApi handOff;
    private final LiveIngest live;
    private LiveConnections connections;
    private RequestIngests ingests = new RequestIngests();
    private trailhound.web.evidence.EvidenceTransfers evidence;
    private trailhound.web.live.SnapshotCaptures captures;
    private trailhound.web.exports.ExportJobs exports;

    private WebServer(Javalin app, String host, boolean https, ServerConnector redirecting, Optional<String> initialAdminPassword,
            Access access, java.util.List<Routes.Rule> routes, ReputationService reputation, ReindexJobs jobs, CliApi handOff,
            LiveIngest live) {
        this.app = app;
        this.host = host;
        this.https = https;
        this.redirecting = redirecting;
        this.initialAdminPassword = initialAdminPassword;
        this.access = access;
        this.routes = routes;
        this.reputation = reputation;
        this.jobs = jobs;
        this.handOff = handOff;
        this.live = live;
    }

    /**
     * Starts serving {@code data}. On a data folder without users it first creates {@code admin}
     * with a random password (see {@link #initialAdminPassword()}), to be changed at first sign-in
     * unless {@link WebOptions#initialPasswordChange()} is off (the loopback demo).
     *
     * @throws IllegalStateException when the port is taken or the templates cannot be loaded
     * @throws UncheckedIOException when {@code server.json} cannot be written into the data folder
     */
    /** Request line and headers: room for the longest query in a GET URL (Jetty's default is 8 KB). */
    static final int REQUEST_HEADER_BYTES = 640 * 1024;
    /** The largest request body read whole (JSON, forms): an IOC document of 4 MB with room for the form around it. */
    static final long MAX_REQUEST_BYTES = 5_000_000;

    public static WebServer start(DataDir data, WebOptions options) {
        Access access = Access.over(data, options.clock());
        Optional<String> adminPassword = access.accounts().ensureInitialAdmin(data.root(), options.initialPasswordChange());
        ObjectMapper json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        ReputationService reputation = ReputationService.create(data.root(), Optional.ofNullable(options.virusTotal()));
        boolean https = options.https() != null;
        WebContext ctx = new WebContext(access, Templates.engine(options.templateSources()), options.clock(), json, reputation, https,
                new RequestIngests());
        ReindexJobs jobs = new ReindexJobs(data, Runtime.getRuntime().availableProcessors());
        CliApi handOff = CliApi.create(ctx, data, jobs);
        LiveIngest live = new LiveIngest(data);
        live.commitPeriodically();
        LiveConnections connections = new LiveConnections(access, live, options.clock(), options.liveIdle());
        AgentSocket agentSocket = new AgentSocket(access.agents(), access.audit(), live,
                https ? options.https().pin().base64() : null, connections);
        agentSocket.deliverPolicies(access.policyBook());
        int unfinished = data.store().evidenceFiles().failUnfinished("the server stopped during the transfer: keep the file as evidence"
                + " again", options.clock().millis());
        if (unfinished > 0) System.err.println("trailhound: " + (unfinished == 1 ? "1 evidence transfer was" : unfinished
                + " evidence transfers were") + " cut by the server's stop; marked failed");
        try {
            long freed = trailhound.web.evidence.EvidenceTransfers.sweep(data.root().resolve(trailhound.access.Evidence.FOLDER));
            if (freed > 0) System.err.println("trailhound: removed " + freed + " bytes of evidence transfers cut by the server's stop");
        } catch (IOException e) {
            System.err.println("trailhound: cannot remove the partial evidence copies (*.part) in " + data.root().resolve(
                    trailhound.access.Evidence.FOLDER) + ": " + e.getMessage() + "; delete them by hand while the server is stopped");
        }
        try {
            long freed = trailhound.access.Snapshots.removeLeftovers(data.root());
            if (freed > 0) System.err.println("trailhound: removed " + freed + " bytes of snapshot uploads and captures cut by the server's stop");
        } catch (IOException e) {
            System.err.println("trailhound: cannot remove the uploads and captures cut by the server's stop in " + data.root().resolve("incoming")
                    + ": " + e.getMessage() + "; delete the upload-* and capture-* folders there by hand while the server is stopped");
        }
        trailhound.web.evidence.EvidenceTransfers evidence = new trailhound.web.evidence.EvidenceTransfers(
                new trailhound.web.live.FilePull(agentSocket.requests(), java.time.Duration.ofMinutes(2)), options.evidenceMaxBytes());
        trailhound.web.live.SnapshotCaptures captures = new trailhound.web.live.SnapshotCaptures(agentSocket.requests(),
                new trailhound.web.live.FilePull(agentSocket.requests(), java.time.Duration.ofMinutes(2)), options.snapshotReserveBytes(),
                data.store().snapshotCaptures());
        trailhound.web.exports.ExportJobs exports = new trailhound.web.exports.ExportJobs(data,
                trailhound.query.QueryLanguage.withClock(options.clock()), options.liveExportMaxRows(), 1);
        java.util.List<Routes.Rule> rules = new java.util.ArrayList<>();
        ServerConnector[] redirecting = new ServerConnector[1];
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            if (https) { // the HTTPS connector first: Javalin's port() is the first connector's
                config.jetty.addConnector((server, http) ->
                        HttpsConnectors.https(server, http, options.https(), options.host(), options.port()));
                if (options.httpRedirectPort() != WebOptions.NO_REDIRECT) {
                    config.jetty.addConnector((server, http) ->
                            redirecting[0] = HttpsConnectors.plain(server, http, options.host(), options.httpRedirectPort()));
                    config.jetty.modifyServer(HttpsConnectors::redirectPlainRequests);
                }
            }
            // A query may be 100,000 characters (QueryText.MAX_LENGTH), up to ~600 KB percent-encoded in a GET
            config.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(REQUEST_HEADER_BYTES));
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.jsonMapper(new JavalinJackson(json, false));
            config.staticFiles.enableWebjars();
            config.staticFiles.add("/static", Location.CLASSPATH);
            RequestTimings.register(config.routes);
            config.routes.before(WebServer::securityHeaders);
            ResponseHeaders.register(config.routes);
            Routes routes = new Routes(config.routes, ctx);
            Auth.register(config.routes, routes, ctx);
            Errors.register(config.routes, ctx);
            registerFeatures(routes, ctx, options.liveExportMaxRows());
            trailhound.web.snapshots.SnapshotPages.register(routes, ctx, options.uploadMaxBytes(), captures);
            trailhound.web.live.LiveSnapshots.register(routes, ctx, connections, captures);
            LiveApi.register(routes, ctx, connections);
            trailhound.web.live.LiveFiles.register(routes, ctx, connections, agentSocket.requests(), evidence);
            trailhound.web.evidence.EvidencePages.register(routes, ctx, evidence);
            trailhound.web.evidence.SavedEvidencePages.register(routes, ctx);
            trailhound.web.exports.ExportPages.register(routes, ctx, exports);
            trailhound.web.policies.PolicyPages.register(routes, ctx);
            config.routes.after(http -> analystActivity(http, connections));
            agentSocket.register(config);
            JobPages.register(routes, ctx, jobs);
            handOff.register(routes);
            rules.addAll(routes.rules());
        });
        try {
            app.start(options.host(), options.port());
        } catch (RuntimeException e) {
            reputation.close();
            jobs.close();
            connections.close();
            evidence.close();
            captures.close();
            exports.close();
            closeQuietly(live, e);
            throw e;
        }
        if (redirecting[0] != null) HttpsConnectors.redirectTo(redirecting[0], app.port());
        jobs.resumeUnfinished(); // a re-index interrupted by a stop or a crash carries on
        try {
            live.recover(); // live events a killed server received but had not committed to the index
        } catch (IOException e) {
            System.err.println("trailhound: " + e.getMessage() + "; the endpoint's next agent connection or a re-index adds them");
        }
        WebServer server = new WebServer(app, options.host(), https, redirecting[0], adminPassword, access, java.util.List.copyOf(rules),
                reputation, jobs, handOff, live);
        server.connections = connections;
        server.ingests = ctx.ingests();
        server.evidence = evidence;
        server.captures = captures;
        server.exports = exports;
        try {
            handOff.announce(server.localUrl());
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException("cannot write " + data.root().resolve(ServerFile.NAME)
                    + ", which tells CLI commands that this server writes the folder", e);
        }
        return server;
    }

    private static void registerFeatures(Routes routes, WebContext ctx, long liveExportMaxRows) {
        routes.get("/", Action.VIEW, http -> http.redirect("/endpoints"));
        EndpointPages.register(routes, ctx);
        SearchPages.register(routes, ctx, liveExportMaxRows);
        DistributionPages.register(routes, ctx);
        HistogramApi.register(routes, ctx);
        HuntPages.register(routes, ctx);
        trailhound.web.pivot.PivotPages.register(routes, ctx);
        trailhound.web.search.SuggestApi.register(routes, ctx);
        trailhound.web.saved.SavedSearchPages.register(routes, ctx);
        ProcessPages.register(routes, ctx);
        ReputationPages.register(routes, ctx);
        trailhound.web.account.AccountPages.register(routes, ctx);
        trailhound.web.admin.UserPages.register(routes, ctx);
        trailhound.web.admin.GroupPages.register(routes, ctx);
        trailhound.web.admin.AgentPages.register(routes, ctx);
        trailhound.web.admin.AuditPages.register(routes, ctx);
        trailhound.web.intel.IntelPages.register(routes, ctx);
        trailhound.web.intel.AlertPages.register(routes, ctx);
    }

    private static final java.util.regex.Pattern ENDPOINT_REQUEST = java.util.regex.Pattern.compile("^/(?:api/v1/)?endpoints/([^/]+)/.+");

    /**
     * A successful request about one endpoint (its events, a search, a process page, an export) is
     * analyst activity that keeps its live connections open; the Live pages' own polling is under
     * /api/v1/live and /live, so it is not.
     */
    private static void analystActivity(io.javalin.http.Context http, LiveConnections connections) {
        if (http.statusCode() < 200 || http.statusCode() > 299) return;
        java.util.regex.Matcher m = ENDPOINT_REQUEST.matcher(http.path());
        if (m.matches()) connections.activity(java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8));
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

    /** Commits live events indexed since the last commit; they are in the journal anyway, so a failure only delays them. */
    private static void closeQuietly(LiveIngest live, Exception primary) {
        try {
            live.close();
        } catch (IOException e) {
            if (primary != null) primary.addSuppressed(e);
            else System.err.println("trailhound: closing the live journals: " + e.getMessage() + " (the next start re-indexes from them)");
        }
    }

    /** The port listened on (the chosen one when started with port 0). */
    public int port() {
        return app.port();
    }

    /** The plain HTTP port that redirects to HTTPS (the chosen one when started with 0), or -1 when there is none. */
    public int httpRedirectPort() {
        return redirecting == null ? -1 : redirecting.getLocalPort();
    }

    /** {@code https://host:port}, or {@code http://} when serving plain HTTP. */
    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return scheme() + (h.equals("0.0.0.0") ? "localhost" : h) + ":" + port();
    }

    private String scheme() {
        return https ? "https://" : "http://";
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
        return scheme() + h + ":" + port();
    }

    /** The password of the {@code admin} created by this start, to print once; empty when users existed. */
    public Optional<String> initialAdminPassword() {
        return initialAdminPassword;
    }

    /** Users, groups, tokens and the audit trail of the served folder. */
    public Access access() {
        return access;
    }

    /** How many HTTP routes Javalin holds: equal to {@link #routes()}'s size when every feature registered through {@link Routes}. */
    public int javalinRouteCount() {
        return (int) app.unsafe.internalRouter.allHttpHandlers().stream()
                .filter(h -> h.endpoint.method.isHttpMethod()) // not before/after filters
                .count();
    }

    /** Every route with the action it takes (see {@link Routes}). */
    public java.util.List<Routes.Rule> routes() {
        return routes;
    }

    /** Stops serving and removes {@code server.json} (unless a later server replaced it). */
    @Override
    public void close() {
        try {
            ingests.close(); // before the requests' threads are interrupted
            app.stop();
        } finally {
            try {
                handOff.withdraw();
            } finally {
                jobs.close();
                reputation.close();
                if (connections != null) connections.close();
                if (evidence != null) evidence.close();
                if (captures != null) captures.close();
                if (exports != null) exports.close();
                closeQuietly(live, null);
            }
        }
    }
}
