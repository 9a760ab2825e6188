package trailhound.web.intel;

/**
 * What Save matches saved, said on the IOC's page: {@code itemId} the evidence item (the page links it), {@code text}
 * what it holds, {@code cut} whether fewer events were saved than matched, {@code restLink} the grid of all its matches
 * on the endpoint (null when nothing was left out).
 */
public record SavedNotice(long itemId, String text, boolean cut, String restLink) {}
