package trailhound.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import trailhound.access.Agents;
import trailhound.access.Caller;

/** The enrolment-token half of {@code tokens}: making one and listing them. */
final class EnrolmentTokens {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,8})([smhd])");

    private EnrolmentTokens() {}

    /** {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d} as a duration. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--expires takes a number and s, m, h or d (seconds, minutes, hours, days), e.g. 30s, 15m,"
                    + " 24h, 7d; not '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    static void create(Agents agents, String group, String expires, Integer uses, PrintWriter out) {
        Agents.Created c = agents.create(Caller.commandLine(), group, duration(expires == null ? "24h" : expires), uses == null ? 1 : uses);
        out.println("enrolment token " + c.token().id() + ": " + c.token().maxUses() + " use(s), valid until "
                + Text.time(c.token().expires().toEpochMilli()) + (group == null ? "" : ", endpoints join group " + Text.safe(group)));
        out.println("secret: " + c.secret());
        out.println("shown once: keep it now, it cannot be shown again; on the endpoint run:"
                + " bin/trailhound agent --server https://<this server>:<port> --token <secret>");
    }

    static void list(List<Agents.EnrolmentToken> tokens, Format format, PrintWriter out) throws Exception {
        Instant now = Instant.now();
        if (format == Format.json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Agents.EnrolmentToken t : tokens) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", t.id());
                row.put("group", t.group());
                row.put("uses", t.uses());
                row.put("max_uses", t.maxUses());
                row.put("state", state(t, now));
                row.put("created", Text.time(t.created().toEpochMilli()));
                row.put("expires", Text.time(t.expires().toEpochMilli()));
                rows.add(row);
            }
            out.println(new ObjectMapper().writeValueAsString(rows));
            return;
        }
        TextTable table = new TextTable().left("ID", 16).left("GROUP", 24).left("USES", 9).left("STATE", 8).left("CREATED", 24)
                .left("EXPIRES", 0);
        for (Agents.EnrolmentToken t : tokens) {
            table.row(t.id(), t.group() == null ? "-" : t.group(), t.uses() + "/" + t.maxUses(), state(t, now),
                    Text.time(t.created().toEpochMilli()), Text.time(t.expires().toEpochMilli()));
        }
        table.print(out);
    }

    private static String state(Agents.EnrolmentToken t, Instant now) {
        return t.revoked() != null ? "revoked" : t.uses() >= t.maxUses() ? "used up" : now.isBefore(t.expires()) ? "active" : "expired";
    }
}
