package trailhound.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import trailhound.access.AccessDeniedException;
import trailhound.access.Action;
import trailhound.access.Scope;

/**
 * Every route with the one {@link Action} it takes: features register through this, never on
 * Javalin's routes directly, so no route exists without its rule. The role check runs before the
 * handler (403 when the role does not allow the action); which endpoints the caller sees is the
 * {@link trailhound.access.Scope}'s job inside the handler. The rules are listed for the route
 * table test and the documentation.
 */
public final class Routes {
    /**
     * One route: method, Javalin path ({@code {param}} segments), the action it takes, and whether an
     * API token may take it. Tokens may not make or change credentials (tokens, users, passwords) nor,
     * whatever their role, change anything an administrator changes (users' roles and groups, groups,
     * tags, endpoints): a leaked token must not turn into lasting access or destroy evidence. Re-index
     * jobs are the exception, registered with {@link #postForScripts}.
     */
    public record Rule(HandlerType method, String path, Action action, boolean byToken) {}

    private final RoutesConfig routes;
    private final WebContext ctx;
    private final List<Rule> rules = Collections.synchronizedList(new ArrayList<>());

    Routes(RoutesConfig routes, WebContext ctx) {
        this.routes = routes;
        this.ctx = ctx;
    }

    public void get(String path, Action action, Handler handler) {
        add(HandlerType.GET, path, action, handler);
    }

    public void post(String path, Action action, Handler handler) {
        add(HandlerType.POST, path, action, handler);
    }

    public void put(String path, Action action, Handler handler) {
        add(HandlerType.PUT, path, action, handler);
    }

    public void delete(String path, Action action, Handler handler) {
        add(HandlerType.DELETE, path, action, handler);
    }

    /**
     * A POST that makes or changes credentials (a token, a user, a password): refused (403, audited)
     * to API tokens before the handler runs, whatever the token's role. The access layer refuses the
     * same again.
     */
    public void postCredentials(String path, Action action, Handler handler) {
        add(HandlerType.POST, path, action, handler, false);
    }

    /** An administrator's POST that scripts may send with a token (re-index jobs: nothing is lost or widened). */
    public void postForScripts(String path, Action action, Handler handler) {
        add(HandlerType.POST, path, action, handler, true);
    }

    /**
     * An administrator's DELETE that scripts may send with a token: deleting a file on a live endpoint,
     * which incident response automates; audited like every other.
     */
    public void deleteForScripts(String path, Action action, Handler handler) {
        add(HandlerType.DELETE, path, action, handler, true);
    }

    private void add(HandlerType method, String path, Action action, Handler handler) {
        add(method, path, action, handler, action != Action.ADMINISTER || method == HandlerType.GET);
    }

    private void add(HandlerType method, String path, Action action, Handler handler, boolean byToken) {
        rules.add(new Rule(method, path, action, byToken));
        Handler guarded = action == Action.PUBLIC ? handler : http -> {
            Scope scope = ctx.scope(http);
            scope.require(action, http.method() + " " + http.path());
            if (!byToken && scope.caller().viaToken()) {
                scope.audit("access.denied", null, trailhound.access.AuditLog.DENIED, http.method() + " " + http.path()
                        + ": not with an API token");
                throw new AccessDeniedException("an API token cannot make or change credentials or access (tokens, users,"
                        + " passwords, groups, tags) or rename, merge or purge endpoints: sign in to the web, or use bin/trailhound"
                        + " on the data folder");
            }
            handler.handle(http);
        };
        routes.addHttpHandler(method, path, guarded);
    }

    /** Every registered route and its action, in registration order. */
    public List<Rule> rules() {
        synchronized (rules) {
            return List.copyOf(rules);
        }
    }
}
