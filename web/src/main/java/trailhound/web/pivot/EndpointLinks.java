package trailhound.web.pivot;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import trailhound.access.Scope;
import trailhound.schema.Event;
import trailhound.schema.Field;
import trailhound.schema.FieldKind;
import trailhound.store.EndpointInfo;
import trailhound.web.Format;

/*
 * Which values name another endpoint. The names come from Scope.endpoints(), so an endpoint outside
 * the caller's groups is never a candidate: no link, no name, not even a different answer. What the
 * catalogue knows of an endpoint: its name, the host name and the primary IP address its recorder
 * reported (recorder snapshots only: imported Sysmon/auditd logs carry no address of their own, so
 * those endpoints are matched by name only). The index's local_ip values are not used: an address
 * seen locally once (a VPN, a NAT, DHCP churn) would link to the wrong machine.
 *
 * Matching, per field kind:
 *   - IP fields other than local_ip (remote_ip, logon_source_ip): the address equals an endpoint's.
 *   - keyword fields: every UNC host in the value (\\DC-01, \\dc-01.corp.example\c$, \\10.10.0.10\x)
 *     equals an endpoint's name or host name, or its first label does (NetBIOS-style short names),
 *     or it is an endpoint's address; dns_query also when the whole name is an endpoint's host name.
 * A short name two endpoints share links to neither: a guess is worse than no link.
 */

/**
 * The other endpoints that event values name, for one caller and the endpoint being read. One per
 * request (it holds the caller's endpoint names); not thread-safe.
 */
public final class EndpointLinks {
    /** Half the window of the linked events around the event's time. */
    public static final Duration WINDOW = Duration.ofMinutes(5);
    // \\host: a host ends at the next backslash, slash, space, quote or other character names cannot hold
    private static final Pattern UNC = Pattern.compile("\\\\\\\\([^\\\\/\\s\"'<>|*?,;]+)");

    private final String self;
    private final Map<String, String> byName = new HashMap<>();
    private final Map<String, String> byAddress = new HashMap<>();

    EndpointLinks(String self, List<EndpointInfo> endpoints) {
        this.self = self;
        Map<String, String> shortNames = new HashMap<>();
        for (EndpointInfo e : endpoints) {
            if (e.name().equals(self)) continue;
            for (String n : new String[] {e.name(), e.hostname()}) {
                if (n == null || n.isBlank()) continue;
                String full = key(n);
                byName.putIfAbsent(full, e.name());
                int dot = full.indexOf('.');
                if (dot > 0) shortNames.merge(full.substring(0, dot), e.name(), (a, b) -> a.equals(b) ? a : "");
            }
            if (e.ip() != null && !e.ip().isBlank()) byAddress.putIfAbsent(address(e.ip()), e.name());
        }
        shortNames.forEach((k, v) -> {
            if (!v.isEmpty()) byName.putIfAbsent(k, v);
        });
    }

    /**
     * The links for the caller of {@code scope} reading {@code endpoint}: every other endpoint the
     * caller may see is a candidate.
     *
     * @throws IOException when the catalogue cannot be read
     */
    public static EndpointLinks of(Scope scope, String endpoint) throws IOException {
        return new EndpointLinks(endpoint, scope.endpoints());
    }

    /** The endpoints one value names, in the order they appear, each once; empty when none. */
    public List<EndpointLink> find(Field field, String value, long ts) {
        Map<String, EndpointLink> found = new LinkedHashMap<>();
        collect(found, field, value, ts);
        return List.copyOf(found.values());
    }

    /** The endpoints any field of the event names, each once (at its first field in canonical order). */
    public List<EndpointLink> find(Event event) {
        if (byName.isEmpty() && byAddress.isEmpty()) return List.of();
        Map<String, EndpointLink> found = new LinkedHashMap<>();
        collect(found, event);
        return List.copyOf(found.values());
    }

    /** The endpoints any of the events names, each once, at its first (oldest given first) mention. */
    public List<EndpointLink> find(List<Event> events) {
        if (byName.isEmpty() && byAddress.isEmpty()) return List.of();
        Map<String, EndpointLink> found = new LinkedHashMap<>();
        for (Event e : events) collect(found, e);
        return List.copyOf(found.values());
    }

    private void collect(Map<String, EndpointLink> found, Event event) {
        for (Field f : Field.all()) {
            if (f.kind() == FieldKind.IP || f.kind() == FieldKind.KEYWORD) collect(found, f, event.get(f), event.ts());
        }
    }

    private void collect(Map<String, EndpointLink> found, Field field, String value, long ts) {
        if (value == null || value.isEmpty()) return;
        if (field.kind() == FieldKind.IP) {
            if (field != Field.LOCAL_IP) add(found, byAddress.get(address(value)), field, value, ts);
        } else if (field.kind() == FieldKind.KEYWORD) {
            if (value.contains("\\\\")) { // most values hold no UNC path: no matcher for them
                Matcher m = UNC.matcher(value);
                while (m.find()) {
                    String host = m.group(1);
                    add(found, host(host), field, "\\\\" + host, ts);
                }
            }
            if (field == Field.DNS_QUERY) add(found, byName.get(key(value)), field, value, ts);
        }
    }

    private String host(String host) {
        String h = key(host);
        while (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        String named = byName.get(h);
        if (named != null) return named;
        String addressed = byAddress.get(address(h));
        if (addressed != null) return addressed;
        int dot = h.indexOf('.');
        return dot > 0 ? byName.get(h.substring(0, dot)) : null;
    }

    private void add(Map<String, EndpointLink> found, String endpoint, Field field, String match, long ts) {
        if (endpoint == null || endpoint.equals(self) || found.containsKey(endpoint)) return;
        Instant at = Instant.ofEpochMilli(ts);
        String from = at.minus(WINDOW).truncatedTo(ChronoUnit.SECONDS).toString();
        String to = at.plus(WINDOW).plusSeconds(1).truncatedTo(ChronoUnit.SECONDS).toString();
        String url = "/endpoints/" + Format.segment(endpoint) + "/events?q=&from=" + Format.url(from) + "&to=" + Format.url(to);
        found.put(endpoint, new EndpointLink(endpoint, field.canonicalName(), match, from, to, url));
    }

    private static String key(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }

    private static String address(String ip) {
        String a = key(ip);
        return a.startsWith("[") && a.endsWith("]") ? a.substring(1, a.length() - 1) : a;
    }
}
