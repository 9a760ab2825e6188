package trailhound.telemetry.auditd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Syscall numbers to names per audit architecture ({@code arch=} is the kernel's AUDIT_ARCH value).
 * The tables are resources made from the Linux uapi headers ({@code asm/unistd_64.h},
 * {@code asm/unistd_32.h}, {@code asm-generic/unistd.h}).
 */
final class Syscalls {
    private static final Map<String, String> ARCH_NAMES = Map.of(
            "c000003e", "x86_64", "40000003", "i386", "c00000b7", "aarch64");
    private static final Map<String, Map<Integer, String>> TABLES = Map.of(
            "x86_64", load("syscalls-x86_64.txt"), "i386", load("syscalls-i386.txt"),
            "aarch64", load("syscalls-aarch64.txt"));

    private Syscalls() {
    }

    /** The architecture's name ({@code x86_64}) or the hex value itself when unknown. */
    static String archName(String arch) {
        return arch == null ? null : ARCH_NAMES.getOrDefault(arch.toLowerCase(java.util.Locale.ROOT), arch);
    }

    /** The syscall's name, or {@code syscall_<n>} when the architecture or number is unknown. */
    static String name(String arch, String number) {
        if (number == null) {
            return null;
        }
        Map<Integer, String> table = TABLES.get(archName(arch));
        try {
            String name = table == null ? null : table.get(Integer.parseInt(number));
            return name != null ? name : "syscall_" + number;
        } catch (NumberFormatException e) {
            return number; // already a name (ausearch -i output)
        }
    }

    private static Map<Integer, String> load(String resource) {
        Map<Integer, String> table = new HashMap<>();
        try (InputStream in = Syscalls.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " next to " + Syscalls.class);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] parts = line.trim().split(" ");
                    table.putIfAbsent(Integer.parseInt(parts[0]), parts[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(table);
    }
}
