package trailhound.index;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An endpoint's index was written in another format than this Trailhound reads. Its events are not
 * lost: a re-index ({@code bin/trailhound reindex}) rebuilds it from the endpoint's sources.
 */
public final class IndexFormatException extends IOException {
    private final int found;
    private final int expected;

    IndexFormatException(Path dir, int found, int expected) {
        super("the index in " + dir + " has format " + found + ", this Trailhound reads format " + expected
                + ": it needs a re-index (bin/trailhound reindex --data DIR --endpoint NAME, or --all)");
        this.found = found;
        this.expected = expected;
    }

    public int found() {
        return found;
    }

    public int expected() {
        return expected;
    }
}
