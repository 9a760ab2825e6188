package trailhound.web.jobs;

import java.util.List;
import trailhound.store.JobInfo;

/**
 * One job as pages and the JSON API show it: counts, rate and ETA from its progress.
 *
 * @param eventsPerSecond events rebuilt per second since it started (0 before)
 * @param etaSeconds      seconds left at that rate, or null when unknown or finished
 * @param percent         events done of events expected, 0-100
 */
public record JobRow(JobInfo job, double eventsPerSecond, Long etaSeconds, int percent) {
    static JobRow of(JobInfo j, long nowMillis) {
        double seconds = j.startedAt() == null ? 0 : ((j.finishedAt() == null ? nowMillis : j.finishedAt()) - j.startedAt()) / 1000.0;
        double rate = seconds > 0 ? j.eventsDone() / seconds : 0;
        Long eta = !j.finished() && rate > 0 && j.eventsTotal() > j.eventsDone()
                ? Long.valueOf(Math.round((j.eventsTotal() - j.eventsDone()) / rate)) : null;
        int percent = j.state().equals(JobInfo.DONE) ? 100
                : j.eventsTotal() == 0 ? 0 : (int) Math.min(100, j.eventsDone() * 100 / j.eventsTotal());
        return new JobRow(j, rate, eta, percent);
    }

    public List<JobInfo.Part> parts() {
        return job.parts();
    }
}
