package trailhound.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.http.HandlerType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Access;
import trailhound.access.Action;
import trailhound.access.Caller;
import trailhound.access.Role;

/**
 * Every route the server registers, with the one rule it must follow: a route added without its
 * line here fails, and each role's outcome is checked over HTTP against the rule.
 */
class RouteTableTest {
    /** "METHOD path" -> the action; HAND_OFF routes answer only the CLI's own token. */
    private static final Map<String, String> TABLE = new TreeMap<>(Map.ofEntries(
            Map.entry("GET /login", "PUBLIC"),
            Map.entry("POST /login", "PUBLIC"),
            Map.entry("POST /logout", "OWN_ACCOUNT"),
            Map.entry("GET /", "VIEW"),
            Map.entry("GET /endpoints", "VIEW"),
            Map.entry("GET /endpoints/rows", "VIEW"),
            Map.entry("GET /api/v1/endpoints", "VIEW"),
            Map.entry("GET /api/v1/endpoints/{endpoint}/snapshots", "VIEW"),
            Map.entry("POST /endpoints/{endpoint}/rename", "ADMINISTER"),
            Map.entry("POST /endpoints/{endpoint}/merge", "ADMINISTER"),
            Map.entry("POST /endpoints/{endpoint}/purge", "ADMINISTER"),
            Map.entry("POST /endpoints/{endpoint}/tags", "ADMINISTER"),
            Map.entry("POST /api/v1/endpoints/{endpoint}/rename", "ADMINISTER"),
            Map.entry("POST /api/v1/endpoints/{endpoint}/merge", "ADMINISTER"),
            Map.entry("DELETE /api/v1/endpoints/{endpoint}", "ADMINISTER"),
            Map.entry("POST /api/v1/endpoints/{endpoint}/tags", "ADMINISTER"),
            Map.entry("GET /endpoints/{endpoint}/events", "VIEW"),
            Map.entry("GET /endpoints/{endpoint}/events/builder", "VIEW"),
            Map.entry("GET /endpoints/{endpoint}/export.xlsx", "EXPORT"),
            Map.entry("GET /endpoints/{endpoint}/export.zip", "EXPORT"),
            Map.entry("GET /api/v1/endpoints/{endpoint}/search", "VIEW"),
            Map.entry("GET /api/v1/endpoints/{endpoint}/count", "VIEW"),
            Map.entry("GET /endpoints/{endpoint}/distribution", "VIEW"),
            Map.entry("GET /api/v1/endpoints/{endpoint}/distribution", "VIEW"),
            Map.entry("GET /api/v1/endpoints/{endpoint}/histogram", "VIEW"),
            Map.entry("GET /hunt", "VIEW"),
            Map.entry("GET /hunt/export.zip", "EXPORT"),
            Map.entry("GET /api/v1/hunt", "VIEW"),
            Map.entry("GET /hunt/pivot", "VIEW"),
            Map.entry("GET /api/v1/endpoints/{endpoint}/links", "VIEW"),
            Map.entry("GET /api/v1/endpoints/{endpoint}/suggest", "VIEW"),
            Map.entry("GET /api/v1/suggest", "VIEW"),
            Map.entry("GET /saved-searches", "VIEW"),
            Map.entry("POST /saved-searches", "VIEW"),
            Map.entry("GET /saved-searches/{id}", "VIEW"),
            Map.entry("POST /saved-searches/{id}/rename", "VIEW"),
            Map.entry("POST /saved-searches/{id}/delete", "VIEW"),
            Map.entry("GET /api/v1/saved-searches", "VIEW"),
            Map.entry("GET /intel", "VIEW"),
            Map.entry("GET /intel/new", "INVESTIGATE"),
            Map.entry("POST /intel/new", "INVESTIGATE"),
            Map.entry("GET /intel/import", "INVESTIGATE"),
            Map.entry("POST /intel/import", "INVESTIGATE"),
            Map.entry("GET /intel/{id}", "VIEW"),
            Map.entry("POST /intel/{id}/scan", "INVESTIGATE"),
            Map.entry("POST /intel/{id}/alert", "INVESTIGATE"),
            Map.entry("POST /intel/{id}/evidence", "INVESTIGATE"),
            Map.entry("POST /intel/{id}/delete", "INVESTIGATE"),
            Map.entry("GET /intel/{id}/openioc.xml", "VIEW"),
            Map.entry("GET /intel/{id}/stix.json", "VIEW"),
            Map.entry("GET /api/v1/iocs", "VIEW"),
            Map.entry("POST /api/v1/iocs", "INVESTIGATE"),
            Map.entry("POST /api/v1/iocs/import", "INVESTIGATE"),
            Map.entry("GET /api/v1/iocs/{id}", "VIEW"),
            Map.entry("DELETE /api/v1/iocs/{id}", "INVESTIGATE"),
            Map.entry("GET /api/v1/iocs/{id}/openioc", "VIEW"),
            Map.entry("GET /api/v1/iocs/{id}/stix", "VIEW"),
            Map.entry("POST /api/v1/iocs/{id}/scan", "INVESTIGATE"),
            Map.entry("POST /api/v1/iocs/{id}/alert", "INVESTIGATE"),
            Map.entry("POST /api/v1/iocs/{id}/evidence", "INVESTIGATE"),
            Map.entry("GET /alerts", "VIEW"),
            Map.entry("POST /alerts/{id}/state", "INVESTIGATE"),
            Map.entry("POST /alerts/state", "INVESTIGATE"),
            Map.entry("GET /api/v1/alerts", "VIEW"),
            Map.entry("POST /api/v1/alerts/{id}/state", "INVESTIGATE"),
            Map.entry("POST /api/v1/alerts/state", "INVESTIGATE"),
            Map.entry("GET /snapshots", "VIEW"),
            Map.entry("GET /snapshots/upload", "INVESTIGATE"),
            Map.entry("GET /api/v1/snapshots", "VIEW"),
            Map.entry("POST /api/v1/snapshots", "INVESTIGATE"),
            Map.entry("GET /api/v1/live/connections/{id}/snapshots/room", "INVESTIGATE"),
            Map.entry("POST /api/v1/live/connections/{id}/snapshots", "INVESTIGATE"),
            Map.entry("GET /api/v1/snapshots/captures/{id}", "VIEW"),
            Map.entry("GET /live/connections/{id}/snapshot", "INVESTIGATE"),
            Map.entry("POST /live/connections/{id}/snapshot", "INVESTIGATE"),
            Map.entry("GET /endpoints/{endpoint}/live/snapshot", "INVESTIGATE"),
            Map.entry("GET /evidence/captures", "VIEW"),
            Map.entry("POST /api/v1/snapshots/captures/{id}/cancel", "INVESTIGATE"),
            Map.entry("POST /evidence/captures/{id}/cancel", "INVESTIGATE"),
            Map.entry("POST /api/v1/saved-searches", "VIEW"),
            Map.entry("GET /api/v1/saved-searches/{id}", "VIEW"),
            Map.entry("DELETE /api/v1/saved-searches/{id}", "VIEW"),
            Map.entry("GET /endpoints/{endpoint}/process/{processKey}", "VIEW"),
            Map.entry("GET /endpoints/{endpoint}/process/{processKey}/events", "VIEW"),
            Map.entry("GET /endpoints/{endpoint}/process/{processKey}/children", "VIEW"),
            Map.entry("GET /api/v1/endpoints/{endpoint}/process/{processKey}", "VIEW"),
            Map.entry("GET /api/v1/endpoints/{endpoint}/process/{processKey}/children", "VIEW"),
            Map.entry("GET /reputation/{hash}", "VIEW"),
            Map.entry("GET /reputation/{hash}/badge", "VIEW"),
            Map.entry("GET /api/v1/reputation/{hash}", "VIEW"),
            Map.entry("GET /api/v1/live/endpoints", "VIEW"),
            Map.entry("GET /api/v1/live/connections", "VIEW"),
            Map.entry("POST /api/v1/live/connections", "VIEW"),
            Map.entry("DELETE /api/v1/live/connections/{id}", "VIEW"),
            Map.entry("GET /api/v1/live/endpoints/{endpoint}/journal", "VIEW"),
            Map.entry("GET /live", "VIEW"),
            Map.entry("GET /api/v1/live/connections/{id}/files", "INVESTIGATE"),
            Map.entry("POST /api/v1/live/connections/{id}/files/evidence", "INVESTIGATE"),
            Map.entry("DELETE /api/v1/live/connections/{id}/files", "ADMINISTER"),
            Map.entry("POST /api/v1/live/connections/{id}/processes/{pid}/kill", "INVESTIGATE"),
            Map.entry("GET /live/connections/{id}/files", "INVESTIGATE"),
            Map.entry("POST /live/connections/{id}/files/evidence", "INVESTIGATE"),
            Map.entry("GET /live/connections/{id}/files/delete", "ADMINISTER"),
            Map.entry("POST /live/connections/{id}/files/delete", "ADMINISTER"),
            Map.entry("GET /live/connections/{id}/processes/{pid}/kill", "INVESTIGATE"),
            Map.entry("POST /live/connections/{id}/processes/{pid}/kill", "INVESTIGATE"),
            Map.entry("GET /endpoints/{endpoint}/live/files", "INVESTIGATE"),
            Map.entry("GET /endpoints/{endpoint}/live/kill", "INVESTIGATE"),
            Map.entry("GET /api/v1/evidence", "VIEW"),
            Map.entry("GET /api/v1/evidence/{id}", "VIEW"),
            Map.entry("GET /api/v1/evidence/{id}/download", "EXPORT"),
            Map.entry("GET /evidence/files", "VIEW"),
            Map.entry("GET /evidence/files/{id}/download", "EXPORT"),
            Map.entry("POST /api/v1/evidence/{id}/cancel", "INVESTIGATE"),
            Map.entry("DELETE /api/v1/evidence/{id}", "INVESTIGATE"),
            Map.entry("POST /evidence/files/{id}/cancel", "INVESTIGATE"),
            Map.entry("POST /evidence/files/{id}/delete", "INVESTIGATE"),
            Map.entry("GET /api/v1/policies", "VIEW"),
            Map.entry("GET /api/v1/policies/{id}", "VIEW"),
            Map.entry("POST /api/v1/policies", "INVESTIGATE"),
            Map.entry("POST /api/v1/policies/{id}/rules", "INVESTIGATE"),
            Map.entry("PUT /api/v1/policies/{id}", "INVESTIGATE"),
            Map.entry("DELETE /api/v1/policies/{id}", "INVESTIGATE"),
            Map.entry("POST /api/v1/policies/{id}/enable", "ADMINISTER"),
            Map.entry("POST /api/v1/policies/{id}/disable", "ADMINISTER"),
            Map.entry("GET /policies", "VIEW"),
            Map.entry("GET /policies/new", "INVESTIGATE"),
            Map.entry("GET /policies/{id}", "VIEW"),
            Map.entry("POST /policies", "INVESTIGATE"),
            Map.entry("POST /policies/{id}/rules", "INVESTIGATE"),
            Map.entry("POST /policies/{id}/edit", "INVESTIGATE"),
            Map.entry("POST /policies/{id}/delete", "INVESTIGATE"),
            Map.entry("POST /policies/{id}/enable", "ADMINISTER"),
            Map.entry("POST /policies/{id}/disable", "ADMINISTER"),
            Map.entry("POST /api/v1/evidence", "INVESTIGATE"),
            Map.entry("POST /api/v1/evidence/{id}", "INVESTIGATE"),
            Map.entry("GET /api/v1/evidence/{id}/events", "VIEW"),
            Map.entry("GET /evidence", "VIEW"),
            Map.entry("GET /evidence/events", "VIEW"),
            Map.entry("GET /evidence/processes", "VIEW"),
            Map.entry("GET /evidence/snapshots", "VIEW"),
            Map.entry("POST /evidence", "INVESTIGATE"),
            Map.entry("POST /evidence/{id}/describe", "INVESTIGATE"),
            Map.entry("POST /evidence/{id}/remove", "INVESTIGATE"),
            Map.entry("GET /evidence/{id}/download", "EXPORT"),
            Map.entry("GET /evidence/items/{id}", "VIEW"),
            Map.entry("GET /evidence/items/{id}/context", "VIEW"),
            Map.entry("POST /api/v1/exports", "EXPORT"),
            Map.entry("GET /api/v1/exports", "EXPORT"),
            Map.entry("GET /api/v1/exports/{id}", "EXPORT"),
            Map.entry("GET /api/v1/exports/{id}/download", "EXPORT"),
            Map.entry("POST /api/v1/exports/{id}/cancel", "EXPORT"),
            Map.entry("POST /api/v1/exports/{id}/again", "EXPORT"),
            Map.entry("GET /exports", "EXPORT"),
            Map.entry("GET /exports/rows", "EXPORT"),
            Map.entry("POST /exports", "EXPORT"),
            Map.entry("POST /exports/{id}/cancel", "EXPORT"),
            Map.entry("POST /exports/{id}/again", "EXPORT"),
            Map.entry("GET /exports/{id}/download", "EXPORT"),
            Map.entry("GET /account/password", "OWN_ACCOUNT"),
            Map.entry("POST /account/password", "OWN_ACCOUNT"),
            Map.entry("GET /account", "OWN_ACCOUNT"),
            Map.entry("POST /account/tokens", "OWN_ACCOUNT"),
            Map.entry("POST /account/tokens/{id}/revoke", "OWN_ACCOUNT"),
            Map.entry("GET /api/v1/tokens", "OWN_ACCOUNT"),
            Map.entry("POST /api/v1/tokens", "OWN_ACCOUNT"),
            Map.entry("DELETE /api/v1/tokens/{id}", "OWN_ACCOUNT"),
            Map.entry("GET /admin/users", "ADMINISTER"),
            Map.entry("POST /admin/users", "ADMINISTER"),
            Map.entry("POST /admin/users/{name}/role", "ADMINISTER"),
            Map.entry("POST /admin/users/{name}/grant", "ADMINISTER"),
            Map.entry("POST /admin/users/{name}/revoke", "ADMINISTER"),
            Map.entry("POST /admin/users/{name}/disable", "ADMINISTER"),
            Map.entry("POST /admin/users/{name}/enable", "ADMINISTER"),
            Map.entry("POST /admin/users/{name}/reset-password", "ADMINISTER"),
            Map.entry("GET /api/v1/users", "ADMINISTER"),
            Map.entry("POST /api/v1/users", "ADMINISTER"),
            Map.entry("GET /admin/groups", "ADMINISTER"),
            Map.entry("GET /admin/groups/preview", "ADMINISTER"),
            Map.entry("POST /admin/groups", "ADMINISTER"),
            Map.entry("POST /admin/groups/{name}/rule", "ADMINISTER"),
            Map.entry("POST /admin/groups/{name}/add-endpoint", "ADMINISTER"),
            Map.entry("POST /admin/groups/{name}/remove-endpoint", "ADMINISTER"),
            Map.entry("POST /admin/groups/{name}/delete", "ADMINISTER"),
            Map.entry("POST /admin/groups/{name}/stream", "ADMINISTER"),
            Map.entry("GET /api/v1/groups", "ADMINISTER"),
            Map.entry("GET /admin/agents", "ADMINISTER"),
            Map.entry("POST /admin/agents/tokens", "ADMINISTER"),
            Map.entry("POST /admin/agents/tokens/{id}/revoke", "ADMINISTER"),
            Map.entry("POST /admin/agents/{id}/revoke", "ADMINISTER"),
            Map.entry("GET /api/v1/enrolment-tokens", "ADMINISTER"),
            Map.entry("POST /api/v1/enrolment-tokens", "ADMINISTER"),
            Map.entry("DELETE /api/v1/enrolment-tokens/{id}", "ADMINISTER"),
            Map.entry("GET /api/v1/agents", "ADMINISTER"),
            Map.entry("POST /api/v1/agents/{id}/revoke", "ADMINISTER"),
            Map.entry("GET /admin/audit", "ADMINISTER"),
            Map.entry("GET /admin/audit.csv", "ADMINISTER"),
            Map.entry("GET /api/v1/audit", "ADMINISTER"),
            Map.entry("GET /jobs", "ADMINISTER"),
            Map.entry("GET /jobs/rows", "ADMINISTER"),
            Map.entry("POST /jobs/reindex", "ADMINISTER"),
            Map.entry("POST /jobs/{id}/cancel", "ADMINISTER"),
            Map.entry("POST /api/v1/jobs/reindex", "ADMINISTER"),
            Map.entry("GET /api/v1/jobs", "ADMINISTER"),
            Map.entry("GET /api/v1/jobs/{id}", "ADMINISTER"),
            Map.entry("POST /api/v1/jobs/{id}/cancel", "ADMINISTER"),
            Map.entry("GET /api/internal/cli/ping", "HAND_OFF"),
            Map.entry("GET /api/internal/cli/endpoints", "HAND_OFF"),
            Map.entry("POST /api/internal/cli/ingest", "HAND_OFF"),
            Map.entry("POST /api/internal/cli/reindex", "HAND_OFF")));

    /** What no API token may do, whatever its role (Routes#postCredentials; CredentialsTest). */
    private static final Set<String> CREDENTIALS = Set.of("POST /account/tokens", "POST /api/v1/tokens", "POST /account/password",
            "POST /admin/users", "POST /api/v1/users", "POST /admin/users/{name}/reset-password");

    /** Deleting a file on a live endpoint: an administrator's token may, for scripted response (Routes#deleteForScripts). */
    private static final String SCRIPTED_DELETE = "DELETE /api/v1/live/connections/{id}/files";

    private static final HttpClient CLIENT = HttpClient.newHttpClient(); // no redirects followed, no cookies kept

    @TempDir
    Path dir;

    @Test
    void everyRouteHasItsRuleAndEveryRoleGetsWhatTheRuleSays() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            Map<String, String> registered = new TreeMap<>();
            Map<String, Boolean> byToken = new TreeMap<>();
            for (Routes.Rule r : web.server().routes()) {
                byToken.put(r.method().name() + " " + r.path(), r.byToken());
                String action = r.path().startsWith("/api/internal/cli/") ? "HAND_OFF" : r.action().name();
                registered.put(r.method().name() + " " + r.path(), action);
            }
            assertEquals(TABLE, registered, "a route without its line in TABLE, or with another rule");
            Set<String> notByToken = new java.util.TreeSet<>(CREDENTIALS);
            TABLE.forEach((route, action) -> {
                // the policy API's enable/disable reach the access layer, which refuses a token with its own words about policies
                // (PolicyPagesTest.administratorsToken_enablingOrDisabling_isToldAboutPolicies_notCredentials)
                boolean policyToggle = route.matches("POST /api/v1/policies/\\{id\\}/(enable|disable)");
                if (action.equals("ADMINISTER") && !route.startsWith("GET ") && !route.contains("/jobs/") && !route.equals(SCRIPTED_DELETE)
                        && !policyToggle) {
                    notByToken.add(route);
                }
            });
            assertEquals(notByToken, new java.util.TreeSet<>(web.server().routes().stream().filter(r -> !r.byToken())
                    .map(r -> r.method().name() + " " + r.path()).toList()),
                    "credentials, and every administrator's change but re-index jobs, a live file's deletion and the policy API's"
                            + " enable/disable (refused by the access layer), are refused to tokens");
            // nothing reaches Javalin around Routes: the router holds exactly these
            assertEquals(registered.size(), web.server().javalinRouteCount(), "routes registered on Javalin directly");

            Access access = web.server().access();
            Caller cli = Caller.commandLine();
            access.groups().create(cli, "test", null, List.of(WebTestSupport.ENDPOINT));
            Map<Role, String> tokens = new LinkedHashMap<>();
            for (Role role : Role.values()) {
                String user = "u-" + role.label();
                access.accounts().create(cli, user, role, List.of("test"), "long enough password " + role.ordinal(), false);
                tokens.put(role, access.tokens().create(cli, user, "route table", 1).secret());
            }
            List<String> wrong = new ArrayList<>();
            for (Map.Entry<String, String> route : TABLE.entrySet()) {
                String method = route.getKey().substring(0, route.getKey().indexOf(' '));
                String path = fill(route.getKey().substring(method.length() + 1), method);
                int anonymous = send(web, method, path, null);
                if (route.getValue().equals("PUBLIC")) {
                    // POST /login's 403 is its own CSRF check (no form token here), not the gate
                    if (anonymous == 401 || anonymous >= 500) wrong.add(route.getKey() + " anonymous got " + anonymous);
                } else if (route.getValue().equals("HAND_OFF")) {
                    if (anonymous != 401 && anonymous != 403) wrong.add(route.getKey() + " anonymous got " + anonymous);
                } else if (anonymous != 401 && !(anonymous == 302 && !path.startsWith("/api/"))) {
                    wrong.add(route.getKey() + " anonymous got " + anonymous);
                }
                if (method.equals("GET") && !route.getValue().equals("PUBLIC")) {
                    // try-out finding: HEAD answered 200 for every GET route, past the role and endpoint checks
                    for (String token : new String[] {null, tokens.get(Role.READ_ONLY)}) {
                        int head = send(web, "HEAD", path, token);
                        if (head != 405) wrong.add("HEAD " + path + (token == null ? " anonymous" : " as read-only") + " got " + head);
                    }
                }
                for (Role role : Role.values()) {
                    int status = send(web, method, path, tokens.get(role));
                    boolean refused = status == 401 || status == 403;
                    if (route.getValue().equals("PUBLIC")) {
                        if (status == 401 || status >= 500) wrong.add(route.getKey() + " as " + role.label() + " got " + status);
                        continue;
                    }
                    boolean shouldRefuse = route.getValue().equals("HAND_OFF") || !role.allows(Action.valueOf(route.getValue()))
                            || !byToken.get(route.getKey()); // never through a token
                    if (refused != shouldRefuse || status >= 500) {
                        wrong.add(route.getKey() + " as " + role.label() + " got " + status);
                    }
                }
            }
            assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        }
    }

    /** Placeholders with values; state-changing requests name things that do not exist, so nothing is changed. */
    private static String fill(String path, String method) {
        boolean get = method.equals("GET");
        return path.replace("{endpoint}", get ? WebTestSupport.ENDPOINT : "no-such-endpoint")
                .replace("{processKey}", WebTestSupport.EXPLORER)
                .replace("{hash}", "44d88612fea8a8f36de82e1278abb02f")
                .replace("{id}", "999")
                .replace("{pid}", "999")
                .replace("{name}", "nobody-here");
    }

    private static int send(WebTestSupport web, String method, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(web.server().url() + path));
        if (token != null) b.header("Authorization", "Bearer " + token);
        boolean body = !method.equals("GET") && !method.equals("HEAD");
        b.method(method, body ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (body) b.header("Content-Type", "application/json");
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
