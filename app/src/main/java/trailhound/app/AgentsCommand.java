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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.access.Agents;
import trailhound.access.Caller;

/** {@code agents}: the enrolled live agents of a data folder, listed and revoked (beside a running server too). */
@Command(name = "agents", mixinStandardHelpOptions = true, description = {
    "List the enrolled live agents: id, endpoint, version, first and last seen (UTC), online (a heartbeat in the last 30 s), state.",
    "revoke AGENT_ID: its secret no longer authenticates and its connection closes (at its next heartbeat, within 10 s, when a"
        + " server runs on the folder); its endpoint and events stay."},
        subcommands = AgentsCommand.Revoke.class)
final class AgentsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() throws Exception {
        if (format == Format.csv) throw new IllegalArgumentException("agents lists as table or json, not csv");
        var out = spec.commandLine().getOut();
        return AccessFolder.run(data, (access, dir) -> {
            List<Agents.EnrolledAgent> agents = access.agents().agents();
            if (format == Format.json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Agents.EnrolledAgent a : agents) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", a.agentId());
                    row.put("endpoint", a.endpoint());
                    row.put("version", a.agentVersion());
                    row.put("first_seen", time(a.firstSeen()));
                    row.put("last_seen", time(a.lastSeen()));
                    row.put("online", a.online());
                    row.put("revoked", time(a.revoked()));
                    rows.add(row);
                }
                out.println(new ObjectMapper().writeValueAsString(rows));
                return 0;
            }
            TextTable table = new TextTable().left("ID", 18).left("ENDPOINT", 32).left("VERSION", 12).left("FIRST SEEN", 24)
                    .left("LAST SEEN", 24).left("ONLINE", 7).left("STATE", 0);
            for (Agents.EnrolledAgent a : agents) {
                table.row(a.agentId(), a.endpoint(), a.agentVersion() == null ? "-" : a.agentVersion(),
                        a.firstSeen() == null ? "never" : time(a.firstSeen()), a.lastSeen() == null ? "never" : time(a.lastSeen()),
                        a.online() ? "yes" : "no", a.revoked() == null ? "enrolled" : "revoked " + time(a.revoked()));
            }
            table.print(out);
            return 0;
        });
    }

    private static String time(Instant t) {
        return t == null ? null : Text.time(t.toEpochMilli());
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = {
        "Revoke an enrolled agent (the ID column of `agents`): its secret no longer authenticates, its open connection closes.",
        "The endpoint stays bound to it: to enrol the machine again, delete the agent's state folder and enrol under another --name."})
    static final class Revoke implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DataOption data;
        @Parameters(paramLabel = "AGENT_ID", description = "The agent's id (a and 16 hex digits).") String id;

        @Override
        public Integer call() throws Exception {
            return AccessFolder.run(data, (access, dir) -> {
                access.agents().revokeAgent(Caller.commandLine(), id);
                spec.commandLine().getOut().println("revoked agent " + Text.safe(id) + ": its secret no longer authenticates");
                return 0;
            });
        }
    }
}
