package trailhound.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * User names by uid from {@code /etc/passwd}, read again when the file changes. A uid the file does
 * not name (a container's user, a directory service account) is its number, as auditd's import gives
 * it. Not thread-safe: the poll thread owns it.
 */
final class Users {
    private final Path passwd;
    private FileTime readAt;
    private Map<Integer, String> names = Map.of();

    Users(Path passwd) {
        this.passwd = passwd;
    }

    String name(int uid) {
        refresh();
        return names.getOrDefault(uid, Integer.toString(uid));
    }

    private void refresh() {
        try {
            FileTime modified = Files.getLastModifiedTime(passwd);
            if (modified.equals(readAt)) return;
            List<String> lines = Files.readAllLines(passwd);
            Map<Integer, String> read = new HashMap<>();
            for (String line : lines) {
                String[] f = line.split(":", -1);
                if (f.length >= 3 && !f[0].isEmpty()) {
                    try {
                        read.putIfAbsent(Integer.parseInt(f[2]), f[0]);
                    } catch (NumberFormatException e) {
                        // a malformed line (or a NIS "+" entry) names nobody
                    }
                }
            }
            names = read;
            readAt = modified;
        } catch (IOException e) {
            // no readable passwd: numbers only
        }
    }
}
