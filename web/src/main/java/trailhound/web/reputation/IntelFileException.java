package trailhound.web.reputation;

import java.nio.file.Path;

/** A malformed line in the intel file, with its position (1-based line and column). */
public final class IntelFileException extends RuntimeException {
    private final Path file;
    private final int line;
    private final int column;

    IntelFileException(Path file, int line, int column, String message) {
        super(file + ":" + line + ":" + column + ": " + message
                + " (fix or remove the line; each line is hash,verdict,source,date)");
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
