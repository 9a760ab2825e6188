package trailhound.web.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import trailhound.query.BuilderQuery;
import trailhound.query.BuilderRow;
import trailhound.query.Parameter;
import trailhound.query.QuerySyntaxException;
import trailhound.query.QueryTooComplexException;
import trailhound.web.BadRequest;

/**
 * The builder panel over query-language's builder model. The query text in the URL is the one
 * source of truth: the panel shows {@code BuilderQuery.parse(text)} and every edit (add, update,
 * remove a row) produces new text with {@code BuilderQuery.render}, so the builder and the typed box
 * can never disagree. Stateless and thread-safe.
 */
final class QueryBuilder {
    private static final List<BuilderView.Option> CONNECTORS = Arrays.stream(BuilderRow.Connector.values())
            .map(c -> new BuilderView.Option(c.name(), c.label())).toList();
    private static final List<BuilderView.Option> OPERANDS = Arrays.stream(BuilderRow.Operand.values())
            .map(o -> new BuilderView.Option(o.name(), o.label())).toList();
    private static final List<BuilderView.Option> PARAMETERS = Parameter.all().stream()
            .map(p -> new BuilderView.Option(p.name(), p.label(), p.operands().stream().map(Enum::name).toList()))
            .toList();

    /** The rows of the text, or none with the reason when the text is too complex (or not valid). */
    BuilderView view(String text) {
        try {
            List<BuilderView.Row> rows = BuilderQuery.parse(text).stream().map(QueryBuilder::row).toList();
            return new BuilderView(rows, null, CONNECTORS, PARAMETERS, OPERANDS);
        } catch (QueryTooComplexException e) {
            return new BuilderView(List.of(), e.getMessage(), CONNECTORS, PARAMETERS, OPERANDS);
        } catch (QuerySyntaxException e) {
            return invalid();
        }
    }

    /** The builder of a text that is no valid query: no rows, and a pointer to the query's own error. */
    BuilderView invalid() {
        return new BuilderView(List.of(), INVALID, CONNECTORS, PARAMETERS, OPERANDS);
    }

    private static final String INVALID = "Fix the typed query to edit it in the builder.";

    /**
     * The text after one edit: {@code add} appends the row, {@code update} replaces row {@code index},
     * {@code remove} drops row {@code index}.
     *
     * <p>{@code narrow} (the pivot menu's filter for / out) joins the row with AND to the whole search:
     * appended when the rows have no OR, else, as for a text too complex for rows, {@code (text) AND row}.
     *
     * @throws BadRequest for an unknown action, parameter or operand, a row the language cannot
     *     express (the model's message) or, but for {@code narrow}, a text that is not builder rows
     */
    String apply(String text, String action, Integer index, String connector, String parameter, String operand, String value) {
        if ("narrow".equals(action)) {
            return narrow(text, row("AND", parameter, operand, value));
        }
        List<BuilderRow> rows;
        try {
            rows = new ArrayList<>(BuilderQuery.parse(text));
        } catch (QuerySyntaxException e) {
            throw new BadRequest("the builder cannot edit this query: " + e.getMessage(), e.column());
        }
        switch (action) {
            case "add" -> rows.add(row(connector, parameter, operand, value));
            case "update" -> rows.set(checkIndex(index, rows), row(connector, parameter, operand, value));
            case "remove" -> rows.remove(checkIndex(index, rows));
            default -> throw new BadRequest("unknown builder action '" + action + "': expected add, update, remove or narrow");
        }
        return BuilderQuery.render(rows);
    }

    private static String narrow(String text, BuilderRow row) {
        if (text.isBlank()) return BuilderQuery.render(List.of(row));
        try {
            List<BuilderRow> rows = new ArrayList<>(BuilderQuery.parse(text));
            if (rows.stream().skip(1).noneMatch(r -> r.connector() == BuilderRow.Connector.OR)) {
                rows.add(row);
                return BuilderQuery.render(rows);
            }
        } catch (QueryTooComplexException e) {
            // valid, only beyond rows: joined below
        } catch (QuerySyntaxException e) {
            throw new BadRequest("cannot narrow a query that is not valid: " + e.getMessage(), e.column());
        }
        // AND binds tighter than OR: without the parentheses the row would narrow only the last OR branch
        return "(" + text + ") AND " + BuilderQuery.render(List.of(row));
    }

    private static int checkIndex(Integer index, List<BuilderRow> rows) {
        if (index == null || index < 0 || index >= rows.size()) {
            throw new BadRequest("no builder row " + index + "; the query has " + rows.size() + " rows");
        }
        return index;
    }

    private static BuilderRow row(String connector, String parameter, String operand, String value) {
        Parameter p = Parameter.byName(parameter == null ? "" : parameter)
                .orElseThrow(() -> new BadRequest("unknown parameter '" + parameter + "'"));
        try {
            return new BuilderRow(
                    BuilderRow.Connector.valueOf(connector == null ? "AND" : connector),
                    p,
                    BuilderRow.Operand.valueOf(operand == null ? "" : operand),
                    value == null ? "" : value);
        } catch (IllegalArgumentException e) {
            // The model explains what is wrong with the row (unsupported operand, empty value...).
            throw new BadRequest(e.getMessage() == null || e.getMessage().startsWith("No enum constant")
                    ? "unknown connector or operand" : e.getMessage());
        }
    }

    private static BuilderView.Row row(BuilderRow r) {
        return new BuilderView.Row(
                new BuilderView.Option(r.connector().name(), r.connector().label()),
                new BuilderView.Option(r.parameter().name(), r.parameter().label()),
                new BuilderView.Option(r.operand().name(), r.operand().label()),
                r.value());
    }
}
