package trailhound.ingest;

/** Endpoint names become folder names: this keeps them inside the data folder. */
final class EndpointNames {
    private EndpointNames() {}

    static String check(String name) {
        if (name == null || name.isBlank() || name.equals(".") || name.equals("..")
                || name.contains("/") || name.contains("\\") || name.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("'" + name + "' cannot be an endpoint name"
                    + " (no slashes, backslashes, control characters, '.' or '..')");
        }
        return name;
    }
}
