package trailhound.web.process;

/** A hash of the process image; {@code primary} is the one the reputation badge is about. */
public record HashRow(String label, String value, boolean primary) {}
