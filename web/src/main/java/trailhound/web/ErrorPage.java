package trailhound.web;

import java.util.List;

/**
 * An error page: status, a short title, what happened (for people: no routes, no commands), the log
 * reference for server errors (else null), and what to do next as links, most specific first.
 */
public record ErrorPage(PageChrome chrome, int status, String title, String message, String reference, List<Action> actions) {

    public ErrorPage {
        actions = List.copyOf(actions);
    }

    /** A link offered on an error page: its text and a same-site address. */
    public record Action(String label, String href) {}
}
