package trailhound.samples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What one host runs and touches: its programs (boot programs first, in start order, then the ones
 * started over time) and the pools of paths, keys, libraries, domains and peers its activity draws
 * from. Pools are built once per host from templates, so the hot loop only picks strings.
 */
final class Catalog {
    final List<Program> programs = new ArrayList<>();
    final Map<String, List<String>> filePools = new LinkedHashMap<>();
    final List<String> dlls = new ArrayList<>();
    final List<String> drivers = new ArrayList<>();
    /** key, value name, value data. */
    final List<String[]> registry = new ArrayList<>();
    /** domain, address. */
    final List<String[]> domains = new ArrayList<>();
    final List<String> clientIps = new ArrayList<>();
    /** logon type, target user, source address. */
    final List<String[]> logons = new ArrayList<>();
    int ephemeralLow = 49152;
    int ephemeralHigh = 65535;

    Program add(Program p) {
        programs.add(p);
        return p;
    }

    /** Adds {@code count} paths to a pool from templates: {@code %h} becomes random hex, {@code %d} a small number. */
    void pool(String name, SplittableRandom rng, int count, String... templates) {
        List<String> pool = filePools.computeIfAbsent(name, k -> new ArrayList<>());
        for (int i = 0; i < count; i++) {
            pool.add(expand(templates[rng.nextInt(templates.length)], rng));
        }
    }

    /** Fills a template: {@code %h} becomes 8 random hex digits, {@code %H} 4 upper-case ones, {@code %d} a small number. */
    static String expand(String t, SplittableRandom rng) {
        if (t.indexOf('%') < 0) {
            return t;
        }
        StringBuilder sb = new StringBuilder(t.length() + 16);
        for (int j = 0; j < t.length(); j++) {
            char c = t.charAt(j);
            if (c == '%' && j + 1 < t.length()) {
                char k = t.charAt(++j);
                switch (k) {
                    case 'h' -> sb.append(String.format("%08x", rng.nextInt()));
                    case 'H' -> sb.append(String.format("%04X", rng.nextInt(0x10000)));
                    case 'd' -> sb.append(1 + rng.nextInt(40));
                    default -> sb.append('%').append(k);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Public-looking addresses in the given /16 prefixes, e.g. {@code "142.250"}. */
    static String address(SplittableRandom rng, String prefix16) {
        return prefix16 + "." + rng.nextInt(256) + "." + (1 + rng.nextInt(254));
    }

    void domain(String domain, String address) {
        domains.add(new String[] {domain, address});
    }

    List<String> files(String pool) {
        List<String> files = filePools.get(pool);
        return files != null ? files : filePools.values().iterator().next();
    }

    static Catalog forHost(HostSpec host, SplittableRandom rng) {
        return switch (host.os()) {
            case "windows" -> WindowsCatalog.build(host, rng);
            case "linux" -> LinuxCatalog.build(host, rng);
            case "macos" -> MacCatalog.build(host, rng);
            default -> throw new IllegalArgumentException("unknown os " + host.os());
        };
    }

    /** Common cloud and SaaS endpoints every host talks to, with real-looking addresses. */
    void commonDomains(SplittableRandom rng) {
        domain("www.google.com", address(rng, "142.250"));
        domain("accounts.google.com", address(rng, "142.251"));
        domain("fonts.gstatic.com", address(rng, "172.217"));
        domain("github.com", "140.82.112." + (3 + rng.nextInt(4)));
        domain("api.github.com", "140.82.113." + (5 + rng.nextInt(2)));
        domain("objects.githubusercontent.com", "185.199.108.133");
        domain("www.wikipedia.org", "208.80.154.224");
        domain("slack.com", address(rng, "3.120"));
        domain("wss-primary.slack.com", address(rng, "3.121"));
        domain("zoom.us", address(rng, "170.114"));
        domain("www.linkedin.com", address(rng, "13.107"));
        domain("cdn.jsdelivr.net", "151.101.1.229");
        domain("ocsp.digicert.com", "93.184.220.29");
        domain("time.cloudflare.com", "162.159.200.1");
        domain("s3.amazonaws.com", address(rng, "52.216"));
        domain("pypi.org", "151.101.0.223");
        domain("registry.npmjs.org", "104.16." + rng.nextInt(256) + "." + (1 + rng.nextInt(254)));
    }
}
