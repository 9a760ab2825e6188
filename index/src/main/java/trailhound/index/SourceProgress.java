package trailhound.index;

/**
 * A source being ingested into an endpoint's index right now: its events so far are searchable,
 * marked partial, and not counted until the source completes.
 *
 * @param source   the source label, e.g. {@code s7}
 * @param events   events of the source read for this endpoint so far
 * @param expected events the source holds in all, or -1 when unknown until read (telemetry files)
 */
public record SourceProgress(String source, long events, long expected) {}
