package trailhound.web.search;

import java.util.List;

/**
 * The builder panel: the rows the query text parses into ({@code unavailable} says why there are
 * none when the text is too complex for rows, else null) and the choices of the row editor.
 */
public record BuilderView(
        List<Row> rows, String unavailable, List<Option> connectors, List<Option> parameters, List<Option> operands) {

    /** One row: connector to the previous row (ignored on the first), parameter, operand and value, by name and label. */
    public record Row(Option connector, Option parameter, Option operand, String value) {}

    /** A choice in a select: the name sent back and the label shown; {@code allowed} lists, for a parameter, its operand names. */
    public record Option(String name, String label, List<String> allowed) {
        public Option(String name, String label) {
            this(name, label, List.of());
        }

        /** Comma-separated {@link #allowed}, for a data attribute. */
        public String allowedCsv() {
            return String.join(",", allowed);
        }
    }
}
