package trailhound.app;

import java.io.PrintWriter;

/**
 * A progress line on stderr: on a terminal rewritten in place at most four times a second; otherwise
 * (a log file, a pipe) a whole line every 10 seconds, since a carriage return there only makes noise.
 * {@code bin/trailhound} says which with {@code -Dtrailhound.terminal}; without it (tests, embedding)
 * a terminal is assumed when the JVM has a console.
 */
final class Progress {
    private static final boolean TERMINAL = Boolean.parseBoolean(
            System.getProperty("trailhound.terminal", Boolean.toString(System.console() != null)));

    private final PrintWriter err;
    private final String what;
    private final long total;
    private final boolean terminal;
    private final long every;
    private final long started = System.nanoTime();
    private long lastPrint;
    private boolean printed;

    Progress(PrintWriter err, String what, long total) {
        this(err, what, total, TERMINAL, TERMINAL ? 250_000_000L : 10_000_000_000L);
    }

    /** @param everyNanos the least time between two lines; off a terminal the first comes after it too */
    Progress(PrintWriter err, String what, long total, boolean terminal, long everyNanos) {
        this.err = err;
        this.what = what;
        this.total = total;
        this.terminal = terminal;
        this.every = everyNanos;
        this.lastPrint = terminal ? started - everyNanos : started;
    }

    synchronized void update(long done) {
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        String pct = total > 0 ? String.format(" (%d%%)", Math.min(100, done * 100 / total)) : "";
        show(String.format("%s: %,d events%s, %,.0f/s", what, done, pct, done / seconds));
    }

    /** Shows this line as the progress (when it is time to). */
    synchronized void show(String line) {
        long now = System.nanoTime();
        if (now - lastPrint < every) return;
        lastPrint = now;
        if (terminal) {
            err.print("\r" + line + "   ");
        } else {
            err.println("trailhound: " + line);
        }
        err.flush();
        printed = true;
    }

    synchronized void done() {
        if (printed && terminal) {
            err.print("\r" + " ".repeat(100) + "\r");
            err.flush();
        }
    }
}
