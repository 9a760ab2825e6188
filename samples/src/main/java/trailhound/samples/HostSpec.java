package trailhound.samples;

/**
 * One endpoint to generate.
 *
 * @param user the host's main interactive user (as the OS writes it, e.g. {@code CORP\mgarcia})
 * @param role what the host does, choosing its background programs (workstation, dc, web, db, ...)
 */
record HostSpec(String host, String os, String osVersion, String ip, String user, String role) {}
