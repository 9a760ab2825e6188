package trailhound.app;

import java.io.PrintWriter;

/** A progress line on stderr, rewritten in place at most a few times a second. */
final class Progress {
    private final PrintWriter err;
    private final String what;
    private final long total;
    private final long started = System.nanoTime();
    private long lastPrint;
    private boolean printed;

    Progress(PrintWriter err, String what, long total) {
        this.err = err;
        this.what = what;
        this.total = total;
    }

    synchronized void update(long done) {
        long now = System.nanoTime();
        if (now - lastPrint < 250_000_000L) return;
        lastPrint = now;
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        String pct = total > 0 ? String.format(" (%d%%)", Math.min(100, done * 100 / total)) : "";
        err.printf("\r%s: %,d events%s, %,.0f/s   ", what, done, pct, done / seconds);
        err.flush();
        printed = true;
    }

    synchronized void done() {
        if (printed) {
            err.print("\r" + " ".repeat(72) + "\r");
            err.flush();
        }
    }
}
