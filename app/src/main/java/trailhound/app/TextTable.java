package trailhound.app;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A table for the terminal whose columns line up whatever the values: each column is as wide as its widest value
 * (or heading), up to the column's cap, and a longer value is cut with "…" ({@link Text#clip}). The last column is
 * neither cut nor padded. Every value is made {@link Text#safe}; null or empty shows as "-".
 *
 * <pre>{@code
 * TextTable t = new TextTable().right("SEQ", 20).left("USER", 32).left("DETAIL", 0);
 * t.row(7, "ana", "a long detail");
 * t.print(out);
 * }</pre>
 *
 * <p>Not thread-safe: one per listing.
 */
final class TextTable {
    private static final String GAP = "  ";

    private record Column(String heading, int cap, boolean right) {}

    private final List<Column> columns = new ArrayList<>();
    private final List<List<String>> rows = new ArrayList<>();

    /** Adds a left-aligned column cut at {@code cap} characters (the last column's cap is ignored). */
    TextTable left(String heading, int cap) {
        return add(new Column(heading, cap, false));
    }

    /** Adds a right-aligned column, for numbers. */
    TextTable right(String heading, int cap) {
        return add(new Column(heading, cap, true));
    }

    private TextTable add(Column c) {
        if (!rows.isEmpty()) throw new IllegalStateException("columns come before rows");
        if (c.cap() < c.heading().length() && c.cap() != 0) throw new IllegalArgumentException("cap " + c.cap() + " is narrower than " + c.heading());
        columns.add(c);
        return this;
    }

    /** Adds a row, one value per column. */
    TextTable row(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(values.length + " values for " + columns.size() + " columns");
        }
        List<String> row = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            String v = values[i] == null || values[i].toString().isEmpty() ? "-" : values[i].toString();
            row.add(i == values.length - 1 ? Text.safe(v) : Text.clip(v, columns.get(i).cap()));
        }
        rows.add(row);
        return this;
    }

    /** Prints the heading line and the rows. */
    void print(PrintWriter out) {
        int[] width = new int[columns.size()];
        for (int i = 0; i < width.length; i++) width[i] = columns.get(i).heading().length();
        for (List<String> row : rows) {
            for (int i = 0; i < width.length; i++) width[i] = Math.max(width[i], row.get(i).length());
        }
        out.println(line(columns.stream().map(Column::heading).toList(), width));
        rows.forEach(row -> out.println(line(row, width)));
    }

    private String line(List<String> values, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            boolean last = i == values.size() - 1;
            if (i > 0) b.append(GAP);
            String pad = " ".repeat(width[i] - v.length());
            if (columns.get(i).right()) b.append(pad).append(v);
            else b.append(v).append(last ? "" : pad);
        }
        return b.toString();
    }
}
