package trailhound.telemetry.auditd;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A decoded SOCKADDR {@code saddr} (hex of the kernel's {@code struct sockaddr}).
 *
 * @param family {@code ipv4}, {@code ipv6}, {@code unix}, {@code netlink} or {@code family_<n>}
 * @param address the IP address text or the unix socket path; null when absent
 * @param port the port (0 when the family has none)
 */
record SocketAddress(String family, String address, int port) {

    /** Decodes {@code saddr}; null when it is not hex. Family is little-endian, port big-endian. */
    static SocketAddress decode(String saddr) {
        if (saddr == null || saddr.length() < 4 || saddr.length() % 2 != 0) {
            return null;
        }
        byte[] b;
        try {
            b = HexFormat.of().parseHex(saddr);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int family = (b[0] & 0xff) | (b[1] & 0xff) << 8;
        int port = b.length >= 4 ? (b[2] & 0xff) << 8 | (b[3] & 0xff) : 0;
        try {
            return switch (family) {
                case 2 -> b.length >= 8
                        ? new SocketAddress("ipv4", InetAddress.getByAddress(slice(b, 4, 4)).getHostAddress(), port)
                        : null;
                case 10 -> b.length >= 24
                        ? new SocketAddress("ipv6", ipv6Text(slice(b, 8, 16)), port)
                        : null;
                case 1 -> new SocketAddress("unix", unixPath(b), 0);
                case 16 -> new SocketAddress("netlink", null, 0);
                default -> new SocketAddress("family_" + family, null, 0);
            };
        } catch (UnknownHostException e) {
            return null; // not reached: lengths are checked
        }
    }

    /** RFC 5952 text: lower-case hex groups, the longest run of two or more zero groups as "::". */
    static String ipv6Text(byte[] a) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    private static byte[] slice(byte[] b, int from, int length) {
        byte[] out = new byte[length];
        System.arraycopy(b, from, out, 0, length);
        return out;
    }

    /** sun_path is NUL-terminated; a leading NUL marks an abstract socket, shown with '@'. */
    private static String unixPath(byte[] b) {
        int from = 2;
        boolean abstractName = b.length > 2 && b[2] == 0;
        if (abstractName) {
            from = 3;
        }
        int end = from;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        String path = new String(b, from, end - from, StandardCharsets.UTF_8);
        return abstractName ? "@" + path : path;
    }
}
