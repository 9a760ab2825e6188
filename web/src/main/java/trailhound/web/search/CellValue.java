package trailhound.web.search;

import java.util.ArrayList;
import java.util.List;
import trailhound.web.live.LiveFiles;

/**
 * One field value as the grid shows it: in a cell or in an expanded row, inside an element that
 * carries the pivot contract ({@code class="pv" data-field=field data-value=value}). {@code before}
 * is literal text shown ahead of it (the {@code :} of {@code ip:port}; usually empty). Values over
 * {@link #SHOWN} characters are cut there ({@link #truncated}) and offered whole by a "more" button;
 * {@link #segments} splits the shown text after separators so the browser wraps there first.
 */
public record CellValue(String before, String field, String value) {
    /** Characters shown before "more". */
    public static final int SHOWN = 200;

    public static CellValue of(String field, String value) {
        return new CellValue("", field, value);
    }

    public boolean truncated() {
        return value.length() > SHOWN;
    }

    /**
     * The shown text (the first {@link #SHOWN} characters, whole surrogate pairs) in pieces ending after a
     * separator, its invisible and text-reversing characters marked as {@link LiveFiles#shownText} does.
     */
    public List<String> segments() {
        String shown = LiveFiles.shownText(value);
        if (truncated()) {
            int cut = Character.isHighSurrogate(value.charAt(SHOWN - 1)) ? SHOWN - 1 : SHOWN;
            shown = LiveFiles.shownText(value.substring(0, cut)) + "…";
        }
        List<String> out = new ArrayList<>();
        if (field.equals("ts")) return List.of(shown); // fixed length, and its colons are no place to wrap
        int from = 0;
        for (int i = 0; i < shown.length(); i++) {
            if (separator(shown.charAt(i))) {
                out.add(shown.substring(from, i + 1));
                from = i + 1;
            }
        }
        if (from < shown.length()) out.add(shown.substring(from));
        return out;
    }

    /** Where a path, command line, URL or key may wrap: after these, as after a space. */
    static boolean separator(char c) {
        return c == '\\' || c == '/' || c == ' ' || c == ',' || c == ';' || c == '&' || c == '=' || c == '?' || c == '|' || c == ':';
    }
}
