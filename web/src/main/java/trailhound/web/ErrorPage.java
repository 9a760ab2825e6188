package trailhound.web;

/** An error page: status, a short title, what happened and what to do, and the log reference for server errors (else null). */
public record ErrorPage(PageChrome chrome, int status, String title, String message, String reference) {}
