package trailhound.query;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** IP address literals, read without ever asking DNS (values come from attackers). */
final class IpLiterals {
    private IpLiterals() {}

    /** The address {@code s} spells, or null when it is no IPv4 dotted quad or IPv6 literal. */
    static InetAddress parse(String s) {
        String v = s.strip();
        if (v.isEmpty() || !v.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) return null;
        if (v.indexOf(':') < 0) {
            // a dotted quad, each part at most 255; anything else is a name getByName would look up
            if (!v.matches("\\d{1,3}(\\.\\d{1,3}){3}")) return null;
            for (String part : v.split("\\.")) if (Integer.parseInt(part) > 255) return null;
        }
        try {
            return InetAddress.getByName(v);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
