package trailhound.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.ingest.DataDir;
import trailhound.ingest.ReindexJobs;
import trailhound.ingest.Reindexer;
import trailhound.store.EndpointInfo;
import trailhound.store.JobInfo;
import trailhound.web.handoff.HandOff;

@Command(name = "reindex", mixinStandardHelpOptions = true, description = {
    "Rebuild endpoints' indexes from their kept sources (snapshots, imported files).",
    "Builds a new generation, checks it against the catalogue and swaps it in; searches keep answering from the"
        + " current one meanwhile. Upgrades indexes of an older format.",
    "Runs as a job (endpoints in parallel, progress on stderr); a job left unfinished by a stop or a crash is resumed"
        + " first. While a server runs on the data folder, the server does the work (--detach: it starts the job and"
        + " the command returns its id)."})
final class ReindexCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;

    static final class Which {
        @Option(names = "--all", required = true, description = "Every endpoint.") boolean all;
        @Option(names = "--endpoint", paramLabel = "NAME", required = true, description = "This endpoint (repeatable).")
        List<String> endpoints;
    }

    @ArgGroup(exclusive = true, multiplicity = "1") Which which;

    @Option(names = "--detach", description = "Hand the job to the server running on this folder and return its id at once.")
    boolean detach;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (WriteAccess access = WriteAccess.forWork(data.dir, "reindex", err)) {
            if (access.server().isPresent()) return handOff(access.server().get(), out, err);
            if (detach) {
                err.println("trailhound: --detach hands the job to a server running on this data folder, and none is running:"
                        + " start one (bin/trailhound serve --data " + data.dir + "), or run without --detach");
                return Main.BAD_INPUT;
            }
            return reindexHere(out, err);
        }
    }

    private int reindexHere(PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        try (DataDir dir = data.open();
                ReindexJobs jobs = new ReindexJobs(dir, Runtime.getRuntime().availableProcessors())) {
            for (long resumed : jobs.resumeUnfinished()) {
                err.println("trailhound: resuming re-index job " + resumed + ", left unfinished by an earlier run");
                report(out, await(jobs, resumed, err));
            }
            List<String> names = new ArrayList<>();
            int status = 0;
            for (String given : which.all ? dir.catalogue().endpoints().stream().map(EndpointInfo::name).toList() : which.endpoints) {
                String name = Renamed.follow(dir, given, spec);
                if (dir.catalogue().endpoint(name).isEmpty()) {
                    unknown(err, name);
                    status = Main.BAD_INPUT;
                } else {
                    names.add(name);
                }
            }
            if (names.isEmpty()) return status;
            trailhound.access.Caller me = trailhound.access.Caller.commandLine();
            long id = jobs.submit(names, me.user());
            trailhound.access.Access.over(dir, java.time.Clock.systemUTC()).audit()
                    .record(me, "job.reindex", null, trailhound.access.AuditLog.OK, "job " + id + ": " + String.join(", ", names));
            JobInfo done = await(jobs, id, err);
            for (String name : names) { // in the order asked, as a hand-off prints them
                JobInfo.Part p = done.parts().stream().filter(x -> x.endpoint().equals(name)).findFirst().orElseThrow();
                line(out, name, p.state(), p.events());
                if (p.state().equals(JobInfo.DONE) && p.message() != null) out.println("  " + p.message());
                if (p.state().equals(JobInfo.FAILED)) err.println("trailhound: " + p.message());
            }
            return done.state().equals(JobInfo.DONE) ? status : Main.BAD_INPUT;
        }
    }

    /**
     * The same endpoints, rebuilt by the server running on the folder (the folder is not opened here):
     * one by one, with the same progress and exit status as locally; or, with --detach, one job whose
     * id is printed at once (its progress: the Jobs page, GET /api/v1/jobs/{id}).
     */
    private int handOff(RunningServer server, PrintWriter out, PrintWriter err) {
        List<String> names = which.all ? server.endpoints() : which.endpoints;
        if (detach) {
            HandOff.Line outcome = server.reindexDetached(names);
            if (outcome.job() == null) throw RunningServer.asException(outcome.failure());
            out.println("re-index job " + outcome.job() + " started on the server over " + names.size() + " endpoints");
            return 0;
        }
        int status = 0;
        int done = 0;
        for (String name : names) {
            Progress progress = new Progress(err, "re-indexing " + name + " (" + (done + 1) + " of " + names.size() + ")", 0);
            HandOff.Line outcome;
            try {
                outcome = server.reindex(name, progress::update);
            } finally {
                progress.done();
            }
            if (outcome.reindexed() != null) {
                Reindexer.Result r = outcome.reindexed();
                line(out, r.endpoint(), JobInfo.DONE, r.events());
                r.remarks().forEach(m -> out.println("  " + m));
            } else if (outcome.failure().kind() == HandOff.Kind.UNKNOWN_ENDPOINT) {
                unknown(err, name);
                status = Main.BAD_INPUT;
                continue;
            } else if (outcome.failure().kind() == HandOff.Kind.FILE) {
                line(out, name, JobInfo.FAILED, 0);
                err.println("trailhound: " + outcome.failure().message());
                status = Main.BAD_INPUT;
            } else {
                throw RunningServer.asException(outcome.failure());
            }
            done++;
        }
        return status;
    }

    /** One endpoint's outcome, the same whether the work ran here or on the server. */
    private static void line(PrintWriter out, String endpoint, String state, long events) {
        out.printf("%-32s %-10s %,12d events%n", Text.safe(endpoint), state, events);
    }

    private void unknown(PrintWriter err, String name) {
        err.println("trailhound: unknown endpoint '" + name + "' (bin/trailhound endpoints --data " + data.dir + " lists them)");
    }

    private static JobInfo await(ReindexJobs jobs, long id, PrintWriter err) throws InterruptedException {
        long start = System.nanoTime();
        Progress shown = new Progress(err, "re-indexing", 0);
        JobInfo done = jobs.await(id, j -> shown.show(progress(j, (System.nanoTime() - start) / 1e9)));
        shown.done();
        return done;
    }

    /** "re-index job 3: 2 of 6 endpoints, 120,000 of 600,000 events, 45,000 events/s, ETA 11 s". */
    static String progress(JobInfo j, double seconds) {
        double rate = j.eventsDone() / Math.max(seconds, 1e-3);
        String eta = rate > 0 && j.eventsTotal() > j.eventsDone()
                ? String.format(", ETA %,.0f s", (j.eventsTotal() - j.eventsDone()) / rate) : "";
        return String.format("re-index job %d: %d of %d endpoints, %,d of %,d events, %,.0f events/s%s", j.id(),
                j.endpointsDone(), j.endpointsTotal(), j.eventsDone(), j.eventsTotal(), rate, eta);
    }

    private static void report(PrintWriter out, JobInfo j) {
        out.printf("re-index job %d: %s%s%n", j.id(), j.state(), j.message() == null ? "" : " (" + j.message() + ")");
        for (JobInfo.Part p : j.parts()) {
            out.printf("  %-32s %-10s %,12d events%s%n", p.endpoint(), p.state(), p.events(),
                    p.message() == null ? "" : "  " + p.message());
        }
    }
}
