package trailhound.samples;

import java.util.ArrayList;
import java.util.List;

/**
 * A binary the simulation runs: where it lives, who signs it, who starts it, as which user, and
 * what it does while running (a weight per {@link Kind}). Built fluently while a catalog is
 * assembled, then only read.
 */
final class Program {
    final String path;
    final String name;
    String signer;
    String user = "$user";
    String parent;
    final List<String> commandLines = new ArrayList<>();
    String cwd;
    int spawnWeight;
    int minActs = 5;
    int maxActs = 40;
    final int[] mix = new int[Kind.values().length];
    String filePool = "temp";
    int listenPort;

    private Program(String path) {
        this.path = path;
        int slash = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
        this.name = path.substring(slash + 1);
    }

    static Program of(String path) {
        return new Program(path);
    }

    Program signer(String signer) {
        this.signer = signer;
        return this;
    }

    Program user(String user) {
        this.user = user;
        return this;
    }

    /** The name of the program that starts this one. */
    Program parent(String parentName) {
        this.parent = parentName;
        return this;
    }

    Program cmd(String... lines) {
        commandLines.addAll(List.of(lines));
        return this;
    }

    Program cwd(String cwd) {
        this.cwd = cwd;
        return this;
    }

    /** How often this program is started relative to the others (0: runs from boot, never started). */
    Program spawn(int weight) {
        this.spawnWeight = weight;
        return this;
    }

    Program acts(int min, int max) {
        this.minActs = min;
        this.maxActs = max;
        return this;
    }

    Program mix(Object... kindWeightPairs) {
        for (int i = 0; i < kindWeightPairs.length; i += 2) {
            mix[((Kind) kindWeightPairs[i]).ordinal()] = (Integer) kindWeightPairs[i + 1];
        }
        return this;
    }

    Program files(String pool) {
        this.filePool = pool;
        return this;
    }

    Program listen(int port) {
        this.listenPort = port;
        return this;
    }

    String signatureStatus() {
        return signer == null ? (path.contains("\\") ? "unsigned" : null) : "valid";
    }

    String commandLine(int i) {
        return commandLines.isEmpty() ? quoteIfNeeded(path) : commandLines.get(i % commandLines.size());
    }

    private static String quoteIfNeeded(String p) {
        return p.contains(" ") ? "\"" + p + "\"" : p;
    }
}
