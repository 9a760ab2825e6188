package trailhound.web.search;

import java.util.List;
import trailhound.web.BadRequest;

/**
 * The builder panel over query-language's builder model: text to rows for display, one row edit
 * (add, update, remove) back to text. Interim: until the builder model lands, the panel says it is
 * unavailable and the typed box is used.
 */
final class QueryBuilder {

    BuilderView view(String text) {
        return new BuilderView(List.of(), "The builder is not available yet; use the typed query.", List.of(), List.of(), List.of());
    }

    String apply(String text, String action, Integer row, String connector, String parameter, String operand, String value) {
        throw new BadRequest("the builder is not available yet; use the typed query");
    }
}
