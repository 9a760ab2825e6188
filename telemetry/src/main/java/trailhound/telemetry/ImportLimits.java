package trailhound.telemetry;

/**
 * How far one imported file may go, set per JVM by system properties (on the command line through
 * {@code TRAILHOUND_JAVA_OPTS}, see docs/telemetry-import.md):
 * <ul>
 *   <li>{@value #MAX_LINE_PROPERTY}: the longest JSON or audit line read, in bytes (default 32 MiB, at least
 *       16 MiB). A longer line is skipped without being held in memory and reported by its number.
 *   <li>{@value #MAX_EXPANSION_PROPERTY}: how many times its size on disk a file's content may expand
 *       to once decompressed (default {@value #DEFAULT_EXPANSION}, at least 10; every file may give at
 *       least 64 MiB). Reading stops there with a warning, keeping what was read: a 1 MB .gz of a
 *       gigabyte of blank lines, or a 4 MB one of a single 4 GiB line, is not read to its end.
 * </ul>
 * Stateless; a bad value is an {@link IllegalArgumentException} naming the property.
 */
public final class ImportLimits {
    public static final String MAX_LINE_PROPERTY = "trailhound.import.maxLineBytes";
    public static final String MAX_EXPANSION_PROPERTY = "trailhound.import.maxExpansion";
    static final int MIN_LINE_BYTES = 16 << 20;
    static final int DEFAULT_LINE_BYTES = 32 << 20;
    static final int DEFAULT_EXPANSION = 200;
    static final long EXPANSION_FLOOR = 64L << 20;

    private ImportLimits() {}

    /** The longest JSON or audit line read, in bytes (characters for audit lines). */
    public static int maxLineBytes() {
        return (int) property(MAX_LINE_PROPERTY, DEFAULT_LINE_BYTES, MIN_LINE_BYTES, Integer.MAX_VALUE - (1 << 20));
    }

    /** The most bytes the content of a file of {@code fileSize} bytes may expand to. */
    static long maxContentBytes(long fileSize) {
        long ratio = property(MAX_EXPANSION_PROPERTY, DEFAULT_EXPANSION, 10, 1_000_000);
        return Math.max(EXPANSION_FLOOR, fileSize > Long.MAX_VALUE / ratio ? Long.MAX_VALUE : fileSize * ratio);
    }

    static long expansionRatio() {
        return property(MAX_EXPANSION_PROPERTY, DEFAULT_EXPANSION, 10, 1_000_000);
    }

    private static long property(String name, long fallback, long min, long max) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) return fallback;
        try {
            long n = Long.parseLong(value.strip().replace("_", ""));
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // reported below with the range
        }
        throw new IllegalArgumentException("-D" + name + "=" + value + ": expected a whole number from " + min + " to " + max);
    }
}
