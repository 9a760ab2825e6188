package trailhound.web.intel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import trailhound.query.IocTree;

/**
 * IOCs as STIX 2.1 bundles, written valid against the OASIS STIX 2.1 JSON schemas and read back.
 *
 * <p>One IOC is one {@code indicator} holding the whole tree as one pattern ({@link StixPattern}):
 * an IOC is one detection, and a tree split into an indicator per branch would lose the AND between
 * branches. Its {@code name} is the IOC's, {@code created}/{@code modified}/{@code valid_from} the
 * IOC's creation time, {@code indicator_types} {@code malicious-activity}; ids are UUIDv5-like
 * (name-based) so the same IOC exports to the same id.
 *
 * <p>Reading takes a bundle (every {@code indicator} in it with {@code pattern_type} {@code stix}, each
 * one IOC named after the indicator; more than {@link #MAX_SEPARATE}, a feed, ORed into one) or a lone
 * indicator; other objects are skipped, indicators of other pattern languages reported as not imported. What is left out is named with its indicator's name and id.
 */
public final class Stix {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most indicators of a bundle imported as one IOC each; a bundle of more (a feed) becomes one IOC of them all. */
    public static final int MAX_SEPARATE = 100;

    private Stix() {}

    /** The bundle of the IOC, as JSON text. */
    public static String write(long id, String name, Instant created, IocTree tree) {
        String when = created.truncatedTo(ChronoUnit.MILLIS).toString();
        if (!when.contains(".")) when = when.replace("Z", ".000Z"); // the schema's timestamp wants milliseconds here or none; keep one form
        ObjectNode bundle = JSON.createObjectNode();
        bundle.put("type", "bundle");
        bundle.put("id", "bundle--" + UUID.randomUUID());
        ArrayNode objects = bundle.putArray("objects");
        ObjectNode indicator = objects.addObject();
        indicator.put("type", "indicator");
        indicator.put("spec_version", "2.1");
        indicator.put("id", "indicator--" + UUID.nameUUIDFromBytes(("trailhound-ioc:" + id + ":" + when).getBytes(StandardCharsets.UTF_8)));
        indicator.put("created", when);
        indicator.put("modified", when);
        indicator.put("name", name);
        indicator.putArray("indicator_types").add("malicious-activity");
        indicator.put("pattern", StixPattern.write(tree));
        indicator.put("pattern_type", "stix");
        indicator.put("pattern_version", "2.1");
        indicator.put("valid_from", when);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(bundle);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a bundle or an indicator.
     *
     * @throws IllegalArgumentException for text that is not JSON, not STIX, or holds no indicator, saying which
     */
    /** " at line L", the line where the JSON text first nests deeper than {@code max} (Jackson's limit says no place), or nothing. */
    private static String deepestLine(byte[] json, int max) {
        String text = new String(json, StandardCharsets.UTF_8);
        int depth = 0;
        int line = 1;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') line++;
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                if (++depth > max) return " at line " + line;
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
        return "";
    }

    /** " at line L, column C" where the parser stopped, or nothing when it does not say. */
    private static String at(com.fasterxml.jackson.core.JsonProcessingException e) {
        var where = e.getLocation();
        return where == null || where.getLineNr() < 1 ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    }

    public static IocImport read(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException
                    || e.getCause() instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException
                    || String.valueOf(e.getOriginalMessage()).contains("nesting depth")) {
                // Jackson's nesting limit, said in the file's terms
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "the file nests deeper than %,d levels%s: a STIX"
                        + " document nests a few; split or flatten it",
                        com.fasterxml.jackson.core.StreamReadConstraints.defaults().getMaxNestingDepth(),
                        at(e).isEmpty() ? deepestLine(json, com.fasterxml.jackson.core.StreamReadConstraints.defaults().getMaxNestingDepth()) : at(e)));
            }
            String why = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("")
                    .replaceAll(" \\(code \\d+\\)", "");
            throw new IllegalArgumentException("not a STIX document: the JSON is not well-formed" + at(e) + ": " + why);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a STIX document: not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || root.isMissingNode()) {
            throw new IllegalArgumentException("the document is empty: give an OpenIOC (XML) or STIX 2.1 (JSON) document");
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("not a STIX document: a STIX 2.1 document is a JSON object ({\"type\": \"bundle\", ...}),"
                    + " this is a JSON " + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        List<JsonNode> indicators = new ArrayList<>();
        String type = root.path("type").asText("");
        if (type.equals("bundle")) {
            for (JsonNode o : root.path("objects")) if ("indicator".equals(o.path("type").asText())) indicators.add(o);
        } else if (type.equals("indicator")) {
            indicators.add(root);
        } else {
            throw new IllegalArgumentException("not a STIX document: type '" + type + "', expected bundle or indicator");
        }
        if (indicators.isEmpty()) {
            throw new IllegalArgumentException("no indicators found in it: the bundle's " + root.path("objects").size()
                    + " objects hold none of type indicator");
        }
        List<String> skipped = new ArrayList<>();
        List<IocImport.Part> parts = new ArrayList<>();
        for (JsonNode i : indicators) {
            String id = i.path("id").asText("indicator");
            String label = i.path("name").asText("").isBlank() ? id : "'" + i.path("name").asText().strip() + "' (" + id + ")";
            String patternType = i.path("pattern_type").asText("stix");
            if (!patternType.equals("stix")) {
                skipped.add(label + ": pattern_type '" + patternType + "' is not supported (stix)");
                continue;
            }
            String pattern = i.path("pattern").asText("");
            try {
                List<String> left = new ArrayList<>();
                IocTree t = StixPattern.read(pattern, left);
                left.forEach(l -> skipped.add(label + ": " + l));
                if (t != null) parts.add(new IocImport.Part(i.path("name").asText("").isBlank() ? id : i.path("name").asText().strip(), t));
            } catch (IllegalArgumentException bad) {
                skipped.add(label + ": " + bad.getMessage());
            }
        }
        String name = indicators.size() == 1 ? indicators.getFirst().path("name").asText("") : "";
        if (name.isBlank()) name = "STIX " + root.path("id").asText("import");
        List<IocTree> trees = parts.stream().map(IocImport.Part::tree).toList();
        IocTree tree = trees.isEmpty() ? null : trees.size() == 1 ? trees.getFirst() : new IocTree.Group(IocTree.Operator.OR, trees);
        // one IOC per indicator, named after it (try-out: a bundle of 12 became one IOC and their names were lost); a feed of
        // more is one detection list, ORed into one IOC (split only as queries need), not thousands on the Intel page
        return new IocImport(name.strip(), tree, skipped, parts.size() == 1 || parts.size() > MAX_SEPARATE
                ? tree == null ? List.of() : List.of(new IocImport.Part(name.strip(), tree)) : parts);
    }
}
