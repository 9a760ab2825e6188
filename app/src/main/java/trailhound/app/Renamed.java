package trailhound.app;

import picocli.CommandLine.Model.CommandSpec;
import trailhound.ingest.DataDir;

/** Endpoint names given on the command line that were renamed or merged since: followed, and said so on stderr. */
final class Renamed {
    private Renamed() {}

    /** The endpoint's name now (DataDir#currentName); says so when it differs from the one given. */
    static String follow(DataDir dir, String given, CommandSpec spec) {
        String now = dir.currentName(given);
        if (!now.equals(given)) {
            spec.commandLine().getErr().println("trailhound: endpoint " + Text.safe(given) + " was renamed or merged into "
                    + Text.safe(now) + "; showing " + Text.safe(now));
        }
        return now;
    }
}
