package trailhound.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import trailhound.bench.BenchReport.Check;
import trailhound.bench.BenchReport.QueryResult;
import trailhound.bench.BenchReport.WebPage;

/** The human-readable report: phases, the side-by-side query table, then every target. */
final class ReportTable {
    private ReportTable() {}

    static void print(BenchReport r, PrintWriter out) {
        out.println("Trailhound benchmark, " + r.started());
        out.println("machine:   " + r.machine().describe());
        var g = r.generate();
        out.printf("generate:  %,d events on %d endpoint(s) in %.1f s, snapshot %s%n", g.events(), g.endpoints(),
                g.seconds(), Benchmark.mb(g.snapshotBytes()));
        var in = r.ingest();
        out.printf("ingest:    %,d events in %.1f s = %,.0f events/s, peak heap %s, index %s = %.2f x snapshot%n",
                in.events(), in.seconds(), in.eventsPerSecond(), Benchmark.mb(in.peakHeapBytes()),
                Benchmark.mb(in.indexBytes()), in.indexToSnapshot());
        if (in.newest() != null) {
            out.printf("ingest:    newest event of %s (%,d events) searchable %.1f s after its ingest started, with %,d of its events%n",
                    in.newest().snapshot(), in.newest().snapshotEvents(), in.newest().seconds(), in.newest().eventsSearchable());
        }
        if (in.cpuMicrosPerEvent() >= 0) {
            out.printf("ingest CPU: %.1f us per event on all threads, of which reading the snapshot alone %.1f us;"
                    + " 100,000 events/s leaves %.1f us per event on %d cores%n", in.cpuMicrosPerEvent(),
                    in.readCpuMicrosPerEvent(), in.budgetMicrosPerEvent(), r.machine().cores());
        }
        out.println();
        out.printf("queries on endpoint %s (each engine warmed up %s ms a query; index: %d runs; SQLite: 20 runs or 10 s, at least 3)%n",
                r.queriedEndpoint(), r.settings().getOrDefault("warmup_ms", "?"), r.queries().isEmpty() ? 0 : r.queries().getFirst().index().runs());
        String fmt = "%-28s %12s %10s %10s %12s %12s %9s  %s%n";
        out.printf(fmt, "QUERY", "HITS", "IDX MED", "IDX P95", "SQLITE MED", "SQLITE P95", "RATIO", "COUNTS");
        for (QueryResult q : r.queries()) {
            out.printf(fmt, q.name(), String.format("%,d", q.indexHits()), ms(q.index().medianMs()), ms(q.index().p95Ms()),
                    ms(q.sqlite().medianMs()), ms(q.sqlite().p95Ms()), String.format("%,.1fx", q.ratio()),
                    q.agree() ? "agree" : "MISMATCH (" + disagreeing(q) + ")");
        }
        out.println("(times in ms; ratio = SQLite median / index median)");
        if (!r.peers().isEmpty()) printPeers(r, out);
        if (r.hunt() != null) {
            var h = r.hunt();
            out.printf("%nhunt:      %s over %d endpoints: %,d hits; count %s ms, first page %s ms, both %s ms (median),"
                    + " peak heap %s, %d open files after%n", h.query(), h.endpoints(), h.hits(), ms(h.count().medianMs()),
                    ms(h.firstPage().medianMs()), ms(h.both().medianMs()), Benchmark.mb(h.peakHeapBytes()), h.openFiles());
        }
        if (r.reindex() != null) {
            var x = r.reindex();
            out.printf("%nre-index:  %s from its sources: %,d events in %.1f s (%,.0f events/s)", x.endpoint(), x.oneEvents(),
                    x.oneSeconds(), x.oneEventsPerSecond());
            if (x.allEndpoints() > 1) {
                out.printf("; all %d endpoints as one job: %,d events in %.1f s", x.allEndpoints(), x.allEvents(), x.allSeconds());
            }
            out.println();
        }
        if (r.telemetry() != null) {
            var t = r.telemetry();
            out.printf("%ntelemetry: %,d Sysmon JSON lines (%s, %s): parse %,.0f events/s (%.1f us CPU per event),"
                    + " full import %,.0f events/s (%.1f us)%n", t.lines(), Benchmark.mb(t.bytes()), t.source(),
                    t.parseEventsPerSecond(), t.parseCpuMicrosPerEvent(), t.importEventsPerSecond(),
                    t.importCpuMicrosPerEvent());
            if (t.evtx() != null) {
                out.printf("telemetry: .evtx (%s, %,d records), one thread: %,.0f records/s into Event XML trees,"
                        + " %,.0f into events%n", t.evtx().file(), t.evtx().records(), t.evtx().readerRecordsPerSecond(),
                        t.evtx().eventsPerSecond());
            }
        }
        if (r.web() != null) {
            out.printf("%nweb pages, %d concurrent clients, loopback:%n", r.web().clients());
            for (WebPage p : r.web().pages()) {
                String server = p.server() == null ? "n/a" : ms(p.server().medianMs()) + " / " + ms(p.server().p95Ms());
                out.printf("  %-26s HTTP %d  server median/p95 %s ms  client %s / %s ms  (%d requests)%n", p.name(),
                        p.status(), server, ms(p.client().medianMs()), ms(p.client().p95Ms()), p.client().runs());
            }
        }
        if (r.load() != null) printLoad(r.load(), out);
        out.println();
        out.println("targets:");
        for (Check c : r.checks()) {
            out.printf("  %-4s %-52s %s%n", c.pass() ? "PASS" : "MISS", c.target(), c.measured());
        }
        out.println(r.countsAgree() ? "result: all hit counts agree" : "result: FAILED, hit counts disagree (see MISMATCH)");
    }

    /** Which sides answered differently from the index, with their hit counts. */
    private static String disagreeing(QueryResult q) {
        List<String> sides = new ArrayList<>();
        for (BenchReport.PeerQuery p : q.peers()) if (!p.agree()) sides.add(p.name() + " " + String.format("%,d", p.hits()));
        if (sides.isEmpty() || q.sqliteHits() != q.indexHits()) sides.addFirst("sqlite " + String.format("%,d", q.sqliteHits()));
        return String.join(", ", sides);
    }

    /** Every engine side by side: how each was loaded, then per query median / p95 and ratio = engine median / index median. */
    static void printPeers(BenchReport r, PrintWriter out) {
        out.printf("%npeers: the queried snapshot loaded into each engine in this run (setup: docs/performance.md \"Peers\")%n");
        var in = r.ingest();
        out.printf("  %-11s %,12d events in %7.1f s = %,9.0f events/s, %s on disk%n", "index", in.events(), in.seconds(),
                in.eventsPerSecond(), Benchmark.mb(in.indexBytes()));
        for (BenchReport.PeerLoad l : r.peers()) {
            out.printf("  %-11s %,12d events in %7.1f s = %,9.0f events/s, %s on disk (%s)%n", l.name(), l.events(), l.seconds(),
                    l.eventsPerSecond(), l.bytes() < 0 ? "?" : Benchmark.mb(l.bytes()), l.setup());
        }
        StringBuilder head = new StringBuilder(String.format("%-28s %12s %17s %26s", "QUERY", "HITS", "INDEX MED/P95", "SQLITE MED/P95 RATIO"));
        for (BenchReport.PeerLoad l : r.peers()) {
            head.append(String.format(" %26s", l.name().toUpperCase(java.util.Locale.ROOT) + " MED/P95 RATIO"));
        }
        out.println(head.append("  COUNTS"));
        for (QueryResult q : r.queries()) {
            StringBuilder row = new StringBuilder(String.format("%-28s %12s %17s %26s", q.name(), String.format("%,d", q.indexHits()),
                    ms(q.index().medianMs()) + " / " + ms(q.index().p95Ms()), cell(q.sqlite(), q.ratio())));
            for (BenchReport.PeerQuery p : q.peers()) row.append(String.format(" %26s", cell(p.latency(), p.ratio())));
            out.println(row.append("  ").append(q.agree() ? "agree" : "MISMATCH (" + disagreeing(q) + ")"));
        }
        out.println("(times in ms; ratio = that engine's median / the index's: above 1x the index is ahead)");
    }

    private static String cell(Latency l, double ratio) {
        if (l == null) return "n/a";
        return ms(l.medianMs()) + " / " + ms(l.p95Ms()) + " " + String.format("%,.1fx", ratio);
    }

    static void printLoad(BenchReport.Load l, PrintWriter out) {
        var a = l.analystsRun();
        out.printf("%nunder load: %d analysts over HTTPS on %s (%,d events), %.0f-%.0f s between requests, %.0f s:"
                + " %,d requests (%,.1f/s), %d errors%n", l.analysts(), l.endpoint(), l.events(), l.thinkMinSeconds(),
                l.thinkMaxSeconds(), a.seconds(), a.requests(), a.requestsPerSecond(), a.errors());
        for (LoadGenerator.PageResult p : a.pages()) {
            out.printf("  %-30s client p50/p95 %s ms  server p50/p95 %s ms  (%d requests, %d errors)%n", p.name(),
                    pair(p.client()), pair(p.server()), p.requests(), p.errors());
        }
        out.println("saturation (clients without waiting, the same mix):");
        for (LoadGenerator.Result s : l.saturation()) {
            out.printf("  %3d clients  %,7.1f requests/s  p50/p95 %s ms  (%d errors)%n", s.clients(), s.requestsPerSecond(),
                    pair(s.all()), s.errors());
        }
        out.printf("saturation: %,.1f requests/s with p95 <= %.0f ms%n", l.saturationRequestsPerSecond(), LoadBench.TARGET_P95_MS);
    }

    private static String pair(Latency l) {
        return l == null ? "n/a" : ms(l.medianMs()) + " / " + ms(l.p95Ms());
    }

    static String ms(double v) {
        return v >= 100 ? String.format("%,.0f", v) : v >= 10 ? String.format("%.1f", v) : String.format("%.2f", v);
    }
}
