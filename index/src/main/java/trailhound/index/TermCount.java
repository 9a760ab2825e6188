package trailhound.index;

/**
 * One value of a field as the index holds it (lower case: the form equals and starts-with match)
 * and how many events have it.
 */
public record TermCount(String term, long count) {}
