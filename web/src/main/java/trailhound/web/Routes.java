package trailhound.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import trailhound.access.Action;

/**
 * Every route with the one {@link Action} it takes: features register through this, never on
 * Javalin's routes directly, so no route exists without its rule. The role check runs before the
 * handler (403 when the role does not allow the action); which endpoints the caller sees is the
 * {@link trailhound.access.Scope}'s job inside the handler. The rules are listed for the route
 * table test and the documentation.
 */
public final class Routes {
    /** One route: method, Javalin path ({@code {param}} segments), the action it takes. */
    public record Rule(HandlerType method, String path, Action action) {}

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

    public void delete(String path, Action action, Handler handler) {
        add(HandlerType.DELETE, path, action, handler);
    }

    private void add(HandlerType method, String path, Action action, Handler handler) {
        rules.add(new Rule(method, path, action));
        Handler guarded = action == Action.PUBLIC ? handler : http -> {
            ctx.scope(http).require(action, http.method() + " " + http.path());
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
