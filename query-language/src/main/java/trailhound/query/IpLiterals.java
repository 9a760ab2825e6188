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

    /**
     * The CIDR block {@code s} spells ({@code 10.0.0.0/8}, {@code fe80::/10}), or null when it is none: an address
     * literal, a slash, a prefix length of 0 to 32 (IPv4) or 128 (IPv6).
     */
    static Block block(String s) {
        String v = s.strip();
        int slash = v.indexOf('/');
        if (slash < 0 || !v.substring(slash + 1).matches("\\d{1,3}")) return null;
        InetAddress address = parse(v.substring(0, slash));
        if (address == null) return null;
        int bits = Integer.parseInt(v.substring(slash + 1));
        return bits > address.getAddress().length * 8 ? null : new Block(address.getAddress(), bits);
    }

    /** A CIDR block: the network's address bytes and how many leading bits every member shares with them. */
    record Block(byte[] network, int bits) {
        /** Whether {@code value} is an address literal inside the block (of the same family). */
        boolean contains(String value) {
            InetAddress a = parse(value);
            if (a == null) return false;
            byte[] b = a.getAddress();
            if (b.length != network.length) return false;
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((b[i / 8] & mask) != (network[i / 8] & mask)) return false;
            }
            return true;
        }
    }
}
