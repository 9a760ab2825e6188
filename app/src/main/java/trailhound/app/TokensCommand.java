package trailhound.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.access.Caller;
import trailhound.access.Tokens;

/**
 * {@code tokens}: the two kinds of token, listed, made and revoked on a data folder (beside a running
 * server too): API tokens ({@code th_...}), which act as a user, and enrolment tokens ({@code te_...}),
 * with which agents join.
 */
@Command(name = "tokens", mixinStandardHelpOptions = true, description = {
    "List tokens (never their secrets), of either kind.",
    "API tokens (th_..., --kind api, the default) act as their user, with that user's role and groups:"
        + " send one as `Authorization: Bearer <secret>`. Listed: id, user, name, state, created, expires, last used (UTC).",
    "Enrolment tokens (te_..., --kind enrolment) let agents join (bin/trailhound agent --token);"
        + " each use enrols one endpoint. Listed: id, group, uses, state, created, expires (UTC).",
    "create and revoke change them, also while a server runs on the folder."},
        subcommands = {TokensCommand.Create.class, TokensCommand.Revoke.class})
final class TokensCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;

    @Option(names = "--user", paramLabel = "NAME", description = "Only this user's tokens.") String user;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "api",
            description = "api (API tokens) or enrolment (agents' enrolment tokens) (default: ${DEFAULT-VALUE}).")
    String kind;

    @Override
    public Integer call() throws Exception {
        if (format == Format.csv) throw new IllegalArgumentException("tokens lists as table or json, not csv");
        if (!kind.equals("api") && !kind.equals("enrolment")) {
            throw new IllegalArgumentException("--kind is api or enrolment, not '" + kind + "'");
        }
        var out = spec.commandLine().getOut();
        if (kind.equals("enrolment")) {
            if (user != null) throw new IllegalArgumentException("--user lists API tokens; enrolment tokens belong to no user");
            return AccessFolder.run(data, (access, dir) -> {
                EnrolmentTokens.list(access.agents().tokens(), format, out);
                return 0;
            });
        }
        return AccessFolder.run(data, (access, dir) -> {
            Instant now = Instant.now();
            List<Tokens.Token> tokens = access.tokens().list(user);
            if (format == Format.json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Tokens.Token t : tokens) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", t.id());
                    row.put("user", t.user());
                    row.put("name", t.name());
                    row.put("state", state(t, now));
                    row.put("created", time(t.created()));
                    row.put("expires", time(t.expires()));
                    row.put("revoked", t.revoked() == null ? null : time(t.revoked()));
                    row.put("last_used", t.lastUsed() == null ? null : time(t.lastUsed()));
                    rows.add(row);
                }
                out.println(new ObjectMapper().writeValueAsString(rows));
                return 0;
            }
            TextTable table = new TextTable().left("ID", 16).left("USER", 32).left("NAME", 40).left("STATE", 7).left("CREATED", 24)
                    .left("EXPIRES", 24).left("LAST USED", 0);
            for (Tokens.Token t : tokens) {
                table.row(t.id(), t.user(), t.name(), state(t, now), time(t.created()), time(t.expires()),
                        t.lastUsed() == null ? "never" : time(t.lastUsed()));
            }
            table.print(out);
            return 0;
        });
    }

    private static String state(Tokens.Token t, Instant now) {
        return t.revoked() != null ? "revoked" : t.usable(now) ? "active" : "expired";
    }

    private static String time(Instant t) {
        return Text.time(t.toEpochMilli());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = {
        "Make a token; its secret is printed once (only its SHA-256 is kept).",
        "With --user: an API token (th_...) acting as that user (--name, --days).",
        "Without --user: an enrolment token (te_...) for agents to join with (--group, --expires, --uses):"
            + " bin/trailhound agent --server URL --token <secret>."})
    static final class Create implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--user", paramLabel = "NAME", description = "API token: the user it acts as.") String user;
        @Option(names = "--name", paramLabel = "NAME", description = "API token: what it is for, e.g. 'nightly export'.") String name;
        @Option(names = "--days", paramLabel = "N", description = "API token: valid for N days, 1 to " + Tokens.MAX_DAYS
                + " (default: 90).") Integer days;
        @Option(names = "--group", paramLabel = "NAME", description = "Enrolment token: endpoints that enrol join this computer group.")
        String group;
        @Option(names = "--expires", paramLabel = "DURATION", description = "Enrolment token: valid for this long, e.g. 30m, 24h, 7d"
                + " (default: 24h).") String expires;
        @Option(names = "--uses", paramLabel = "N", description = "Enrolment token: how many agents may enrol with it (default: 1).")
        Integer uses;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            if (user == null) {
                if (name != null || days != null) {
                    throw new IllegalArgumentException("--name and --days make an API token and need --user; an enrolment token takes"
                            + " --group, --expires and --uses");
                }
                return AccessFolder.run(data, (access, dir) -> {
                    EnrolmentTokens.create(access.agents(), group, expires, uses, out);
                    return 0;
                });
            }
            if (group != null || expires != null || uses != null) {
                throw new IllegalArgumentException("--group, --expires and --uses make an enrolment token, which belongs to no user:"
                        + " leave out --user");
            }
            if (name == null) throw new IllegalArgumentException("an API token needs --name (what it is for, e.g. 'nightly export')");
            int days = this.days == null ? 90 : this.days;
            return AccessFolder.run(data, (access, dir) -> {
                Tokens.Created c = access.tokens().create(Caller.commandLine(), user, name, days);
                out.println("API token " + c.token().id() + " for " + Text.safe(user) + " (" + Text.safe(name) + "), valid until "
                        + time(c.token().expires()));
                out.println("secret: " + c.secret());
                out.println("shown once: keep it now, it cannot be shown again; send it as `Authorization: Bearer <secret>`");
                return 0;
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = {"Revoke a token at once (the id from `tokens`, either kind).",
        "An enrolment token revoked enrols no more agents; agents enrolled with it stay (bin/trailhound agents revoke)."})
    static final class Revoke implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--id", paramLabel = "ID", description = "The token's id (the ID column of `tokens`).") String id;
        @picocli.CommandLine.Parameters(arity = "0..1", paramLabel = "ID", description = "The token's id, as --id.") String positional;

        @Override
        public Integer call() throws Exception {
            if ((id == null) == (positional == null)) {
                throw new IllegalArgumentException("name the token to revoke once: tokens revoke ID (the ID column of `tokens`)");
            }
            String which = id != null ? id : positional;
            return AccessFolder.run(data, (access, dir) -> {
                if (access.agents().tokens().stream().anyMatch(t -> t.id().equals(which))) {
                    access.agents().revokeToken(Caller.commandLine(), which);
                    spec.commandLine().getOut().println("revoked enrolment token " + Text.safe(which) + ": no agent enrols with it any more");
                    return 0;
                }
                access.tokens().revoke(Caller.commandLine(), which);
                spec.commandLine().getOut().println("revoked token " + Text.safe(which));
                return 0;
            });
        }
    }
}
