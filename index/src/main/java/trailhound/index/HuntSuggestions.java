package trailhound.index;

import java.util.List;

/**
 * Values suggested across endpoints ({@link IndexBackend#suggest}): each with its number of events
 * summed over the endpoints consulted, most first; {@code searched} of the {@code endpoints} named were
 * consulted (fewer when the bound was reached).
 */
public record HuntSuggestions(List<TermCount> values, int searched, int endpoints) {
    public HuntSuggestions {
        values = List.copyOf(values);
    }
}
