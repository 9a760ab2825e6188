package trailhound.web.search;

/** RFC 4180 quoting: a value with a comma, quote or line break is quoted, inner quotes doubled; null is empty. */
final class Csv {
    private Csv() {}

    static String quote(String value) {
        if (value == null) {
            return "";
        }
        boolean needs = false;
        for (int i = 0; i < value.length() && !needs; i++) {
            char c = value.charAt(i);
            needs = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return needs ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
