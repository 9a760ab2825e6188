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

/** {@code tokens}: API tokens, listed, made and revoked on a data folder (beside a running server too). */
@Command(name = "tokens", mixinStandardHelpOptions = true, description = {
    "List API tokens (never their secrets): id, user, name, state, created, expires, last used (UTC).",
    "A token acts as its user, with that user's role and groups: send it as `Authorization: Bearer <secret>`.",
    "create and revoke change them, also while a server runs on the folder."},
        subcommands = {TokensCommand.Create.class, TokensCommand.Revoke.class})
final class TokensCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;

    @Option(names = "--user", paramLabel = "NAME", description = "Only this user's tokens.") String user;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() throws Exception {
        if (format == Format.csv) throw new IllegalArgumentException("tokens lists as table or json, not csv");
        var out = spec.commandLine().getOut();
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
        "Make an API token for a user; its secret is printed once (only its SHA-256 is kept)."})
    static final class Create implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--user", paramLabel = "NAME", required = true, description = "The user it acts as.") String user;
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "What it is for, e.g. 'nightly export'.") String name;
        @Option(names = "--days", paramLabel = "N", defaultValue = "90", description = "Valid for N days, 1 to " + Tokens.MAX_DAYS
                + " (default: ${DEFAULT-VALUE}).") int days;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            return AccessFolder.run(data, (access, dir) -> {
                Tokens.Created c = access.tokens().create(Caller.commandLine(), user, name, days);
                out.println("token " + c.token().id() + " for " + Text.safe(user) + " (" + Text.safe(name) + "), valid until "
                        + time(c.token().expires()));
                out.println("secret: " + c.secret());
                out.println("shown once: keep it now, it cannot be shown again; send it as `Authorization: Bearer <secret>`");
                return 0;
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token at once (the id from `tokens`).")
    static final class Revoke implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Option(names = "--id", paramLabel = "ID", required = true, description = "The token's id (the ID column of `tokens`).") String id;

        @Override
        public Integer call() throws Exception {
            return AccessFolder.run(data, (access, dir) -> {
                access.tokens().revoke(Caller.commandLine(), id);
                spec.commandLine().getOut().println("revoked token " + Text.safe(id));
                return 0;
            });
        }
    }
}
