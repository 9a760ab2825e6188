package trailhound.schema;

/** File names of the paths events carry (images, parents), Windows and Unix paths alike. */
public final class FilePaths {
    private FilePaths() {}

    /**
     * The file name of a path; null for null. A Windows path (a drive letter, a UNC start or any
     * backslash) ends at its last backslash (or its drive's colon) only: {@code /} is no separator there
     * but a character an attacker may put in a name, so {@code C:\Temp\<script>alert(1)</script>.exe}
     * is named {@code <script>alert(1)</script>.exe}, not {@code script>.exe}. Other paths (Linux) end
     * at their last {@code /}.
     */
    public static String fileName(String path) {
        if (path == null) return null;
        boolean drive = path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0));
        if (drive || path.indexOf('\\') >= 0) {
            return path.substring(Math.max(path.lastIndexOf('\\'), drive ? 1 : -1) + 1);
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
