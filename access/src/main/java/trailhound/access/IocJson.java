package trailhound.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import trailhound.query.IndicatorType;
import trailhound.query.IocTree;

/**
 * An {@link IocTree} as JSON, the shape of the API ({@code POST /api/v1/iocs}'s {@code tree}) and of
 * server.db's {@code iocs.tree}:
 * <pre>{@code
 * {"operator": "OR", "items": [
 *   {"type": "sha256", "condition": "is", "value": "5f2b..."},
 *   {"operator": "AND", "items": [
 *     {"type": "process_name", "condition": "is", "value": "powershell.exe"},
 *     {"type": "command_line", "condition": "contains", "value": "-enc"}]}]}
 * }</pre>
 * A group has {@code operator} ({@code AND} or {@code OR}) and {@code items}; an item {@code type}
 * (an {@link IndicatorType} id), {@code condition} ({@code is}, the default, or {@code contains}) and
 * {@code value}. Groups nest at most {@value #MAX_DEPTH} deep and a tree holds at most
 * {@value #MAX_ITEMS} items.
 */
public final class IocJson {
    public static final int MAX_DEPTH = 16;
    public static final int MAX_ITEMS = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private IocJson() {}

    /** The tree as JSON text. */
    public static String write(IocTree tree) {
        try {
            return JSON.writeValueAsString(node(tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tree as a JSON node (for API answers). */
    public static ObjectNode node(IocTree tree) {
        ObjectNode out = JSON.createObjectNode();
        switch (tree) {
            case IocTree.Group g -> {
                out.put("operator", g.operator().name());
                ArrayNode items = out.putArray("items");
                g.parts().forEach(p -> items.add(node(p)));
            }
            case IocTree.Item i -> {
                out.put("type", i.type().id());
                out.put("condition", i.condition().id());
                out.put("value", i.value());
            }
        }
        return out;
    }

    /** Reads JSON text written by {@link #write}. @throws IllegalArgumentException as {@link #read(JsonNode)} */
    public static IocTree read(String json) {
        try {
            return read(JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("the tree is not JSON: " + e.getMessage());
        }
    }

    /**
     * The tree the JSON describes.
     *
     * @throws IllegalArgumentException naming where ({@code items[1].type}) and what is wrong
     */
    public static IocTree read(JsonNode node) {
        int[] count = {0};
        IocTree tree = read(node, "tree", 0, count);
        return tree;
    }

    private static IocTree read(JsonNode node, String at, int depth, int[] count) {
        if (node == null || !node.isObject()) throw new IllegalArgumentException(at + ": expected an object, a group or an item");
        if (depth > MAX_DEPTH) throw new IllegalArgumentException(at + ": groups nest more than " + MAX_DEPTH + " deep");
        if (node.has("operator") || node.has("items")) {
            known(node, at, "operator", "items");
            String op = node.path("operator").asText("").toUpperCase(Locale.ROOT);
            IocTree.Operator operator;
            try {
                operator = IocTree.Operator.valueOf(op);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ".operator: '" + node.path("operator").asText("") + "'; expected AND or OR");
            }
            JsonNode items = node.get("items");
            if (items == null || !items.isArray() || items.isEmpty()) {
                throw new IllegalArgumentException(at + ".items: a group needs a non-empty array of items");
            }
            List<IocTree> parts = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) parts.add(read(items.get(i), at + ".items[" + i + "]", depth + 1, count));
            return new IocTree.Group(operator, parts);
        }
        if (++count[0] > MAX_ITEMS) throw new IllegalArgumentException("the tree holds more than " + MAX_ITEMS + " items");
        known(node, at, "type", "condition", "value");
        String typeId = node.path("type").asText("");
        IndicatorType type = IndicatorType.byId(typeId).orElseThrow(() -> new IllegalArgumentException(at + ".type: '" + typeId
                + "' is no indicator type; expected one of " + Arrays.stream(IndicatorType.values()).map(IndicatorType::id).toList()));
        String conditionId = node.path("condition").asText("is");
        IocTree.Condition condition = IocTree.Condition.byId(conditionId).orElseThrow(() -> new IllegalArgumentException(at
                + ".condition: '" + conditionId + "'; expected is or contains"));
        JsonNode value = node.get("value");
        if (value == null || !value.isTextual()) throw new IllegalArgumentException(at + ".value: expected a string");
        try {
            return new IocTree.Item(type, condition, value.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage());
        }
    }

    /** A misspelled field ("conditon") is refused, not ignored: ignored, it left the item's condition "is". */
    private static void known(JsonNode node, String at, String... fields) {
        List<String> names = List.of(fields);
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!names.contains(f)) {
                throw new IllegalArgumentException(at + ": unknown field '" + (f.length() > 40 ? f.substring(0, 40) + "..." : f)
                        + "'; its fields are " + String.join(", ", fields));
            }
        }
    }
}
