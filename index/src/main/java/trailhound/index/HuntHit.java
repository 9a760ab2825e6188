package trailhound.index;

import trailhound.schema.Event;

/** One event found by a hunt across endpoints, with the endpoint whose index holds it. */
public record HuntHit(String endpoint, Event event) {}
