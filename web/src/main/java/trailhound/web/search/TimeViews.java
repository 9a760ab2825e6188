package trailhound.web.search;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import trailhound.access.Scope;
import trailhound.index.IndexBackend;
import trailhound.index.IndexStats;
import trailhound.web.Format;

/*
 * Quick ranges ("last 24 h") end at the newest event of what is looked at (the endpoint, the snapshot
 * when one is picked, every endpoint the caller may see on the hunt page), not at the wall clock,
 * and are written into the URL as absolute times. Trailhound's events are collected and imported
 * after the fact: on a snapshot taken last week "the last 24 hours" before now is empty, while the
 * 24 hours before the newest event are the ones an analyst asks about first (what happened right
 * before the machine was collected). Absolute times also keep a link meaning the same events
 * tomorrow, in a case note, after more data arrived. The picker says where the quick ranges end and
 * how long before now that is; a window relative to the wall clock is the query text's `ts:>now-15m`.
 *
 * The end is the newest event + 1 ms rounded up to a whole minute, so the URL reads
 * 2026-11-19T07:03:00Z and the newest event is inside every quick range.
 */
/** Builds the {@link TimePicker} of a page. Stateless. */
public final class TimeViews {
    private static final String[][] PRESETS = {
        {"15m", "Last 15 min", "900000"}, {"1h", "1 h", "3600000"}, {"24h", "24 h", "86400000"},
        {"7d", "7 d", "604800000"}, {"30d", "30 d", "2592000000"}};

    private TimeViews() {}

    /**
     * The picker of the page at {@code action} whose other parameters are {@code keep}, showing the
     * window {@code fromText}/{@code toText} as typed (with {@link TimePicker#error} when it is not a
     * window); quick ranges end at {@code newest} (the newest event's ms, null when there is none: now).
     */
    public static TimePicker picker(String action, List<TimePicker.Param> keep, String fromText, String toText,
            Long newest, Instant now) {
        TimeRange shown = null;
        String error = null;
        try {
            shown = TimeRange.parse(fromText, toText);
        } catch (trailhound.web.BadRequest e) {
            error = e.forPages();
        }
        long end = trailhound.query.TimeWindow.quickRangeEnd(newest == null ? now.toEpochMilli() : newest); // as the CLI's --last
        String base = action + "?" + keep.stream().map(p -> p.name() + "=" + Format.url(p.value())).collect(Collectors.joining("&"));
        List<TimePicker.Preset> presets = new ArrayList<>();
        for (String[] p : PRESETS) {
            long from = end - Long.parseLong(p[2]);
            boolean active = shown != null && shown.from() != null && shown.from() == from && shown.to() != null && shown.to() == end;
            presets.add(new TimePicker.Preset(p[0], p[1], base + EventScope.timeParams(TimeRange.iso(from), TimeRange.iso(end)), active));
        }
        presets.add(new TimePicker.Preset("all", "All", base, shown != null && shown.all()));
        String anchor = newest == null ? "No events yet: quick ranges end now."
                : "Quick ranges end at the newest event, " + TimeRange.iso(newest) + age(newest, now) + ".";
        return new TimePicker(action, keep, fromText == null ? "" : fromText, toText == null ? "" : toText, presets, anchor, null, error);
    }

    /**
     * The window of the quick range {@code id} ({@code 15m}, {@code 1h}, {@code 24h}, {@code 7d}, {@code 30d})
     * as the picker links it: ending at {@code newest} (the newest event's ms; null: now), rounded up to a
     * whole minute. A saved search kept with a quick range opens with this window.
     *
     * @throws IllegalArgumentException for another id
     */
    public static TimeRange quickRange(String id, Long newest, Instant now) {
        long end = trailhound.query.TimeWindow.quickRangeEnd(newest == null ? now.toEpochMilli() : newest); // as the picker and --last
        for (String[] p : PRESETS) {
            if (p[0].equals(id)) return new TimeRange(end - Long.parseLong(p[2]), end);
        }
        throw new IllegalArgumentException("no quick range '" + id + "'");
    }

    /**
     * Why a window matched nothing when it misses the events altogether (they run from {@code first}
     * to {@code last}): the message for {@link TimePicker#hint}, or null when the window overlaps them
     * (the query is what excluded them) or there is no event.
     */
    public static String missed(TimeRange range, long total, Long first, Long last) {
        if (total != 0 || range.all() || first == null || last == null) return null;
        boolean before = range.to() != null && range.to() <= first;
        boolean after = range.from() != null && range.from() > last;
        if (!before && !after) return null;
        return "Nothing matches in this window: it " + (before ? "ends before the oldest" : "starts after the newest")
                + " event here. The events run from " + TimeRange.iso(first) + " to " + TimeRange.iso(last)
                + "; pick All or a quick range (they end at the newest event).";
    }

    /**
     * The oldest and newest event time of what the scope looks at without its window: the snapshot's,
     * else the endpoint's; null for an endpoint without events.
     */
    public static long[] extent(Scope access, EventScope scope) throws java.io.IOException {
        if (scope.snapshot() != null) return new long[] {scope.snapshot().firstTs(), scope.snapshot().lastTs()};
        try (IndexBackend.Lease lease = access.index(scope.endpoint())) {
            IndexStats stats = lease.index().stats();
            return stats.lastTs() == null ? null : new long[] {stats.firstTs(), stats.lastTs()};
        }
    }

    /** " (12 days before now)", " (3 hours before now)", "" within a minute. */
    static String age(long newest, Instant now) {
        Duration d = Duration.ofMillis(now.toEpochMilli() - newest);
        if (d.toMinutes() < -1) return " (after now: check the clocks)";
        if (d.toMinutes() < 1) return "";
        String ago = d.toDays() >= 2 ? d.toDays() + " days" : d.toHours() >= 2 ? d.toHours() + " hours" : d.toMinutes() + " min";
        return " (" + ago + " before now)";
    }
}
