package trailhound.index;

import java.net.InetAddress;

/**
 * How an event's text values become typed index values, for a backend other than the local one that
 * must index exactly what the local one does (the query semantics follow from it): a NUMBER value that
 * is not a whole number, or an IP value that is not an address literal, keeps only its term.
 */
public final class IndexedValues {
    private IndexedValues() {}

    /** The whole number the text holds (surrounding spaces allowed), or null. */
    public static Long parseLong(String text) {
        return EventDocuments.parseLong(text);
    }

    /** The IPv4 or IPv6 literal the text holds, or null; never resolves a host name. */
    public static InetAddress parseIp(String text) {
        return EventDocuments.parseIp(text);
    }
}
