package trailhound.web.jobs;

import java.util.List;
import trailhound.web.PageChrome;

/** The Jobs page: every job, newest first, as rows; the endpoints a new re-index can name. */
public record JobsPage(PageChrome chrome, List<JobRow> jobs, List<String> endpoints) {}
