package trailhound.web.pivot;

/**
 * A value that names another endpoint the caller may see, and where that endpoint's events are.
 *
 * @param endpoint the endpoint's name in the catalogue
 * @param field the canonical field the value came from ({@code remote_ip}, {@code command_line}...)
 * @param match what in the value named it: {@code \\DC-01}, or an address such as {@code 10.10.0.10}
 * @param from start of the window around the event's time, ISO-8601 UTC (inclusive)
 * @param to end of the window, ISO-8601 UTC (exclusive)
 * @param url that endpoint's events grid over the window
 */
public record EndpointLink(String endpoint, String field, String match, String from, String to, String url) {}
