package trailhound.store;

/**
 * An endpoint as the catalogue knows it: name (also its folder), OS family ("windows", "linux",
 * "macos" or as reported), host name, primary IP (null when unknown), number of snapshots.
 * Event counts and time span come from the index ({@code EventIndex.stats()}).
 */
public record EndpointInfo(String name, String os, String hostname, String ip, int snapshotCount) {}
