package trailhound.app;

import java.io.IOException;
import java.time.Clock;
import picocli.CommandLine.Option;
import trailhound.index.IndexBackend;
import trailhound.ingest.DataDir;
import trailhound.query.TimeWindow;
import trailhound.schema.Event;

/**
 * {@code --from}, {@code --to} and {@code --last}: the time window of {@code search} (and its hunt and
 * CSV forms) and {@code distribution}, read by {@link TimeWindow} as the web reads its {@code from}
 * and {@code to}, so the same text means the same events on both.
 */
final class TimeOptions {
    @Option(names = "--from", paramLabel = "TIME", description = "Only events at or after this time: an ISO-8601 UTC time"
            + " such as 2026-11-19T07:00:00Z (or with an offset such as +02:00), a date such as 2026-11-19 (its first"
            + " moment, UTC), or epoch milliseconds.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Only events before this time (it is excluded), in the same"
            + " forms as --from; a date includes that whole UTC day.")
    String to;

    @Option(names = "--last", paramLabel = "SPAN", description = "Only the last SPAN of the events, such as 15m, 1h, 24h,"
            + " 7d or 2w. The window ends at the newest event of the endpoints searched, not at the current time, as the"
            + " web's quick ranges do; it cannot be combined with --from or --to.")
    String last;

    /**
     * The window asked for; {@code --last} ends at the newest event of {@code endpoints}.
     *
     * @throws IllegalArgumentException naming the option and quoting the value, or for --last with --from/--to
     */
    TimeWindow window(DataDir dir, Iterable<String> endpoints, Clock clock) throws IOException {
        if (last != null) {
            if (from != null || to != null) {
                throw new IllegalArgumentException("--last cannot be combined with --from or --to: give either a span or the times");
            }
            java.time.Duration span = TimeWindow.span("--last", last);
            Long newest = null;
            for (String name : endpoints) {
                try (IndexBackend.Lease lease = dir.indexes().acquire(name)) {
                    Long t = lease.index().stats().lastTs();
                    if (t != null && (newest == null || t > newest)) newest = t;
                }
            }
            return TimeWindow.last(span, newest, clock.instant());
        }
        Long start = TimeWindow.instantOrDate("--from", from, false);
        Long end = TimeWindow.instantOrDate("--to", to, true);
        if (start != null && end != null && start >= end) {
            // Quote what was typed and what it means: "--to 2026-11-18" means up to 2026-11-19T00:00Z,
            // and showing only the instants (both 2026-11-19T00:00Z) reads as nonsense.
            String hint = isDate(from) && isDate(to)
                    ? "; give a --to on or after the --from date (--from " + from.strip() + " --to " + from.strip() + " is that one day)"
                    : "; give a --to later than the --from";
            String fromMeans = Event.formatTime(start) + (isDate(from) ? ", the start of that day" : "");
            String toMeans = isDate(to) ? "which ends at " + Event.formatTime(end) + ": a date in --to includes that whole UTC day"
                    : Event.formatTime(end);
            throw new IllegalArgumentException("--from " + from.strip() + " (" + fromMeans + ") must be before --to " + to.strip()
                    + " (" + toMeans + ")" + hint);
        }
        return TimeWindow.of("--from", start, "--to", end);
    }

    private static boolean isDate(String text) {
        return text.strip().matches("\\d{4}-\\d{2}-\\d{2}");
    }
}
