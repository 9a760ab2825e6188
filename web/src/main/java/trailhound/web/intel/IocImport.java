package trailhound.web.intel;

import java.util.List;
import trailhound.query.IocTree;

/**
 * What an OpenIOC or STIX document came to: its name, the tree of what could be imported (null when
 * nothing could) and, per part left out, what it was and why.
 */
public record IocImport(String name, IocTree tree, List<String> notImported) {
    /**
     * How deep groups (STIX parentheses, OpenIOC {@code Indicator}s) may nest in an imported document:
     * the readers recurse per level, and an IOC's query nests its groups' parentheses too.
     */
    public static final int MAX_NESTING = 32;

    public IocImport {
        notImported = List.copyOf(notImported);
    }
}
