package trailhound.query;

import java.util.List;
import java.util.Objects;
import trailhound.schema.FieldKind;

/**
 * One row of the query builder: {@code connector parameter operand value}, e.g.
 * "AND / Command line / contains / -enc".
 *
 * <p>Rows are read left to right with the query language's precedence (AND and AND NOT bind
 * tighter than OR). The first row's connector is ignored. The constructor rejects rows the query
 * text cannot express, so every row renders: an operand the parameter does not offer, an empty
 * value, a negated operand after {@link Connector#AND_NOT}, an IP "equals" value with a {@code /}
 * (use {@link Operand#IN_CIDR}), a comparison value starting with {@code =}, or a regex ending in a
 * backslash. A {@link Operand#MATCHES} value is kept with {@code \/} written as {@code /} (the same
 * regex), so a row equals the row parsed back from its text.
 */
public record BuilderRow(Connector connector, Parameter parameter, Operand operand, String value) {

    /** How a row joins the rows before it. */
    public enum Connector {
        AND("AND"), OR("OR"), AND_NOT("AND NOT");

        private final String label;

        Connector(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** What a row checks, with the label the builder shows. */
    public enum Operand {
        EQUALS("equals"), NOT_EQUALS("does not equal"), CONTAINS("contains"), NOT_CONTAINS("does not contain"),
        STARTS_WITH("starts with"), ENDS_WITH("ends with"), MATCHES("matches (regex)"),
        GREATER_THAN("greater than"), LESS_THAN("less than"), IN_CIDR("in CIDR");

        private final String label;

        Operand(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** True for the operands that exclude matches (rendered with a leading {@code -}). */
        public boolean negated() {
            return this == NOT_EQUALS || this == NOT_CONTAINS;
        }

        /** The operands fields of this kind support, in display order. */
        public static List<Operand> forKind(FieldKind kind) {
            return switch (kind) {
                case KEYWORD -> List.of(EQUALS, NOT_EQUALS, CONTAINS, NOT_CONTAINS, STARTS_WITH, ENDS_WITH, MATCHES);
                case ID -> List.of(EQUALS, NOT_EQUALS, STARTS_WITH);
                case NUMBER, TIME -> List.of(EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN);
                case IP -> List.of(EQUALS, NOT_EQUALS, IN_CIDR, STARTS_WITH, GREATER_THAN, LESS_THAN);
            };
        }
    }

    public BuilderRow {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(operand, "operand");
        Objects.requireNonNull(value, "value");
        if (!parameter.operands().contains(operand)) {
            throw new IllegalArgumentException("parameter '" + parameter.label() + "' does not support '" + operand.label()
                    + "'; it supports " + parameter.operands().stream().map(Operand::label).toList());
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException("row '" + parameter.label() + " " + operand.label() + "' needs a value");
        }
        if (connector == Connector.AND_NOT && operand.negated()) {
            throw new IllegalArgumentException("'AND NOT' with '" + operand.label() + "' is a double negation; use 'AND' with '"
                    + (operand == Operand.NOT_EQUALS ? Operand.EQUALS : Operand.CONTAINS).label() + "'");
        }
        if (parameter.kind() == FieldKind.IP && (operand == Operand.EQUALS || operand == Operand.NOT_EQUALS) && value.contains("/")) {
            throw new IllegalArgumentException("'" + value + "' is a CIDR block; use the operand '" + Operand.IN_CIDR.label() + "'");
        }
        if (operand == Operand.IN_CIDR && !value.contains("/")) {
            throw new IllegalArgumentException("'" + value + "' is not a CIDR block like 10.0.0.0/8");
        }
        if ((operand == Operand.GREATER_THAN || operand == Operand.LESS_THAN) && value.startsWith("=")) {
            throw new IllegalArgumentException("a '" + operand.label() + "' value cannot start with '=': '" + value + "'");
        }
        if (operand == Operand.MATCHES) {
            value = RowText.canonicalRegex(value);
            if (RowText.endsWithEscape(value)) {
                throw new IllegalArgumentException("regex '" + value + "' ends with a backslash; write a final backslash as [\\\\]");
            }
        }
    }

    /** A row joined with AND. */
    public static BuilderRow and(Parameter parameter, Operand operand, String value) {
        return new BuilderRow(Connector.AND, parameter, operand, value);
    }
}
