package trailhound.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/*
 * /proc/net/{tcp,tcp6,udp,udp6}: one socket a line,
 *   sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
 * Addresses are hex 32-bit words as the kernel holds them (network byte order in memory, printed as
 * native integers, so on a little-endian machine each word's bytes read backwards); ports are plain
 * hex numbers. tcp states: 01 established, 0A listen; a udp socket is 01 once connect()ed, else 07.
 */

/** Reads the socket tables of /proc/net. Stateless and thread-safe. */
final class ProcNet {
    /** One socket: protocol {@code tcp}/{@code udp}; state {@code established} or {@code listen}; inode 0 when no process holds it. */
    record Socket(String protocol, String localIp, int localPort, String remoteIp, int remotePort, String state, long inode) {}

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private ProcNet() {}

    /** The established and listening sockets of the four tables; others (closing, waiting) are left out. */
    static List<Socket> read(Path proc) {
        List<Socket> out = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
            String text = ProcFs.readSmallUnbounded(proc.resolve("net/" + table));
            if (text == null) continue; // IPv6 disabled, or no network namespace view
            String protocol = table.startsWith("tcp") ? "tcp" : "udp";
            String[] lines = text.split("\n");
            for (int i = 1; i < lines.length; i++) {
                Socket s = parse(protocol, lines[i]);
                if (s != null) out.add(s);
            }
        }
        return out;
    }

    static Socket parse(String protocol, String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10) return null;
        String state = switch (protocol + f[3]) {
            case "tcp01", "udp01" -> "established";
            case "tcp0A" -> "listen";
            case "udp07" -> "listen"; // bound, not connected: it receives from anyone
            default -> null;
        };
        if (state == null) return null;
        try {
            int localColon = f[1].indexOf(':');
            int remoteColon = f[2].indexOf(':');
            return new Socket(protocol, address(f[1].substring(0, localColon)), Integer.parseInt(f[1].substring(localColon + 1), 16),
                    address(f[2].substring(0, remoteColon)), Integer.parseInt(f[2].substring(remoteColon + 1), 16), state,
                    Long.parseLong(f[9]));
        } catch (RuntimeException | UnknownHostException e) {
            return null;
        }
    }

    /** The text of a hex address; an IPv4-mapped IPv6 address reads as the IPv4 address (Java dual-stack sockets show so). */
    static String address(String hex) throws UnknownHostException {
        byte[] b = new byte[hex.length() / 2];
        for (int w = 0; w < b.length / 4; w++) {
            int word = Integer.parseUnsignedInt(hex, w * 8, w * 8 + 8, 16);
            for (int k = 0; k < 4; k++) {
                int shift = NATIVE == ByteOrder.LITTLE_ENDIAN ? 8 * k : 8 * (3 - k);
                b[w * 4 + k] = (byte) (word >>> shift);
            }
        }
        InetAddress a = InetAddress.getByAddress(b); // an IPv4-mapped IPv6 address comes back as IPv4
        return b.length == 16 && a.getAddress().length == 16 ? ipv6Text(b) : a.getHostAddress();
    }

    /** RFC 5952 text, as the auditd import writes IPv6: lower-case groups, the longest run of 2+ zero groups as "::". */
    static String ipv6Text(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) j++;
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
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
