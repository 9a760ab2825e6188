package trailhound.web.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import trailhound.index.Histogram;
import trailhound.web.Format;

/**
 * The histogram above the grid, laid out for the template's SVG (a 1000 x 100 view box, bars from the
 * bottom): one bar per bucket with its exact count, the window it stands for and the grid link that
 * sets {@code from}/{@code to} to it. A bar's window is its bucket clipped to the histogram's window,
 * since the first and last bucket count only the events inside it: the grid behind a bar counts what
 * the bar says. {@code base} is the grid's URL without {@code from}/{@code to}, for the brushing script.
 */
public record HistogramView(String from, String to, String bucket, long total, long max, List<Bar> bars, String base) {
    static final double WIDTH = 1000;
    static final double HEIGHT = 100;

    /** One bucket: geometry in view-box units, exact count, its window (ISO) and grid link, and its tooltip. */
    public record Bar(double x, double width, double y, double height, long count, String from, String to, String link, String title) {}

    public HistogramView {
        bars = List.copyOf(bars);
    }

    /**
     * The view of {@code h}; {@code base} ends with the parameters to keep ({@code /endpoints/X/events?q=..}),
     * each bar's link adds its window. Null when there is nothing to draw (no window: nothing matched).
     */
    static HistogramView of(Histogram h, String base) {
        if (h.from() == null || h.to() == null || h.buckets().isEmpty()) return null;
        long max = h.buckets().stream().mapToLong(Histogram.Bucket::count).max().orElse(0);
        int n = h.buckets().size();
        double slot = WIDTH / n;
        List<Bar> bars = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Histogram.Bucket b = h.buckets().get(i);
            long from = Math.max(b.start(), h.from());
            long to = Math.min(b.end(), h.to());
            double height = max == 0 || b.count() == 0 ? 0 : Math.max(1.5, b.count() * (HEIGHT - 4) / max);
            String isoFrom = TimeRange.iso(from);
            String isoTo = TimeRange.iso(to);
            bars.add(new Bar(round(i * slot), round(Math.max(0.5, slot * 0.86)), round(HEIGHT - height), round(height), b.count(),
                    isoFrom, isoTo, base + EventScope.timeParams(isoFrom, isoTo),
                    isoFrom + " to " + isoTo + ": " + Format.count(b.count()) + (b.count() == 1 ? " event" : " events")));
        }
        return new HistogramView(TimeRange.iso(h.from()), TimeRange.iso(h.to()), size(h.bucketMillis()), h.total(), max, bars, base);
    }

    /** What the chart shows, for its accessible name. */
    public String summary() {
        return String.format(Locale.ROOT, "Events over time from %s to %s: %d bars of %s, %s events, at most %s in one",
                from, to, bars.size(), bucket, Format.count(total), Format.count(max));
    }

    /** "5 s", "30 min", "3 h", "7 d". */
    static String size(long ms) {
        if (ms % 86_400_000L == 0) return ms / 86_400_000L + " d";
        if (ms % 3_600_000L == 0) return ms / 3_600_000L + " h";
        if (ms % 60_000L == 0) return ms / 60_000L + " min";
        if (ms % 1_000L == 0) return ms / 1_000L + " s";
        return ms + " ms";
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
