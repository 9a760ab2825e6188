package trailhound.agent;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import trailhound.protocol.Message;

/*
 * Why the read is kept apart from its orders: two analysts paging one folder of 100,000 entries, one by
 * name and one by size, made the agent re-read it (one lstat per entry, 1.5-3.2 s) at every page when one
 * sorted listing was kept. Now a folder is read once; each sort key's order is an array of references
 * into that read, made the first time it is asked for (a sort of 100,000 entries takes tens of ms) and
 * descending pages are read from the ascending order's other end (ties by name reverse too, exactly as
 * a reversed comparator would order them).
 */

/**
 * Folder reads kept for paging: each folder's entries read once and kept {@link #KEPT_MS}, sorted per
 * sort key on demand. The first page ({@code offset} 0) reads afresh unless the read is under
 * {@link #FRESH_MS} old and the folder's modification time unchanged, so opening a folder again shows
 * it as it is now. Memory, bounded by the agent's heap so that no folder can exhaust it: the folders
 * kept hold at most {@link #maxEntries()} entries together, a quarter of the heap at
 * {@link #ENTRY_BYTES} an entry (entry and sort orders; the least recently paged folder dropped first),
 * and one read stops at that many entries, at most {@link #MAX_READ} (the rest are not listed: the
 * page says so). Thread-safe (one listing at a time).
 */
final class Listings {
    static final long KEPT_MS = 60_000;
    static final long FRESH_MS = 5_000;
    /** The most entries one folder read keeps, whatever the heap. */
    static final int MAX_READ = 1_000_000;
    /**
     * An entry as kept, with its place in three sort orders, in bytes. Measured with a heap histogram ({@code jmap -histo:live})
     * of an agent started as the demo starts them (-Xmx128m, serial collector) after paging a folder of 100,000 entries with
     * 11-character names in three sorts: about 180 bytes an entry (the FileEntry 48, its two times as Longs 48, its name's
     * String and bytes 70, its place in the three orders 12, the list 4), 17.9 MB for the whole folder; 287 bytes before owner
     * and permissions were shared (two more Strings an entry), when this was 400 and such an agent listed 81,100 of them.
     * 250 leaves room for names of about 70 characters (WinSxS's are longer; a longer name costs a byte a character).
     */
    static final long ENTRY_BYTES = 250;

    private record Read(List<Message.FileEntry> entries, long count, long modified, long at, Map<String, Message.FileEntry[]> orders) {}

    /** Least recently used first. */
    private final LinkedHashMap<Path, Read> kept = new LinkedHashMap<>(16, 0.75f, true);
    private final Function<Path, Message.FileEntry> describe;
    private int reads;
    /** The most entries kept together and read from one folder; tests set a small one. */
    int maxEntries = maxEntries();

    /** @param describe one entry's attributes, as a listing shows them */
    Listings(Function<Path, Message.FileEntry> describe) {
        this.describe = describe;
    }

    /** A quarter of the agent's heap in entries, at most {@link #MAX_READ}: 129,761 with 128 MB (the demo's agents), ~260,000 with 256 MB. */
    static int maxEntries() {
        return (int) Math.min(MAX_READ, Runtime.getRuntime().maxMemory() / 4 / ENTRY_BYTES);
    }

    /**
     * A page sorted by {@code sort} (one of Protocol.SORT_KEYS) of {@code folder} (real); {@code total} is the
     * number of entries listed: the folder's size, or the cap when the folder holds more ({@code count}, all its
     * entries, is then larger: those listed are the first {@code total} in directory order).
     */
    record Page(long total, int offset, List<Message.FileEntry> entries, long count) {
        /** What the page must say when the folder holds more than is listed; null when all is listed. */
        String note() {
            return count <= total ? null : String.format(java.util.Locale.ROOT, "the folder has %,d entries, more than the %,d an agent"
                    + " lists: the first %,d in directory order are listed (look for a file by its path instead)", count, total, total);
        }
    }

    synchronized Page page(Path folder, String sort, boolean descending, int offset, int limit) throws IOException {
        long now = System.currentTimeMillis();
        long modified = Files.getLastModifiedTime(folder).toMillis();
        Read r = kept.get(folder);
        if (r == null || now - r.at > KEPT_MS || offset == 0 && (now - r.at > FRESH_MS || r.modified != modified)) {
            List<Message.FileEntry> read = new ArrayList<>();
            long count = read(folder, read);
            r = new Read(read, count, modified, now, new HashMap<>());
            kept.put(folder, r);
            trim(folder);
        }
        List<Message.FileEntry> entries = r.entries;
        Message.FileEntry[] order = r.orders.computeIfAbsent(sort, k -> sorted(entries, k));
        int n = order.length;
        int from = Math.min(offset, n);
        int to = Math.min(n, from + limit);
        List<Message.FileEntry> page = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) page.add(order[descending ? n - 1 - i : i]);
        return new Page(n, from, page, r.count);
    }

    /** How many times a folder was read from disk (for tests: pages served from memory read none). */
    synchronized int directoryReads() {
        return reads;
    }

    /**
     * Reads at most {@link #maxEntries} entries into {@code out}; answers how many entries the folder holds
     * (those past the cap counted, not described). While it reads, the heap holds the folders kept and this
     * read: at most twice {@link #maxEntries}, half the heap.
     */
    private long read(Path folder, List<Message.FileEntry> out) throws IOException {
        reads++;
        kept.remove(folder); // the old read of this folder goes before the new one is made
        long count = 0;
        Map<String, String> same = new HashMap<>(); // a folder's entries share a few owners and permissions: one string each
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path p : entries) {
                if (count++ < maxEntries) out.add(shared(describe.apply(p), same));
            }
        }
        return count;
    }

    /** {@code e} with its owner and permissions the instances {@code same} holds (about 100 bytes an entry fewer). */
    private static Message.FileEntry shared(Message.FileEntry e, Map<String, String> same) {
        String permissions = e.permissions() == null ? null : same.computeIfAbsent(e.permissions(), k -> k);
        String owner = e.owner() == null ? null : same.computeIfAbsent(e.owner(), k -> k);
        if (permissions == e.permissions() && owner == e.owner()) return e;
        return new Message.FileEntry(e.name(), e.type(), e.size(), e.created(), e.modified(), permissions, owner, e.target(), e.nameBytes());
    }

    private void trim(Path keep) {
        long total = kept.values().stream().mapToLong(r -> r.entries.size()).sum();
        for (Iterator<Map.Entry<Path, Read>> it = kept.entrySet().iterator(); it.hasNext() && total > maxEntries; ) {
            Map.Entry<Path, Read> e = it.next();
            if (e.getKey().equals(keep)) continue;
            total -= e.getValue().entries.size();
            it.remove();
        }
    }

    static Message.FileEntry[] sorted(List<Message.FileEntry> entries, String sort) {
        Comparator<Message.FileEntry> byName = Comparator.comparing(Message.FileEntry::name);
        Comparator<Message.FileEntry> order = switch (sort) {
            case "type" -> Comparator.comparing(Message.FileEntry::type);
            case "size" -> Comparator.comparing(Message.FileEntry::size, Comparator.nullsFirst(Comparator.naturalOrder()));
            case "created" -> Comparator.comparing(Message.FileEntry::created, Comparator.nullsFirst(Comparator.naturalOrder()));
            case "modified" -> Comparator.comparing(Message.FileEntry::modified, Comparator.nullsFirst(Comparator.naturalOrder()));
            case "permissions" -> Comparator.comparing(Message.FileEntry::permissions, Comparator.nullsFirst(Comparator.naturalOrder()));
            case "owner" -> Comparator.comparing(Message.FileEntry::owner, Comparator.nullsFirst(Comparator.naturalOrder()));
            default -> byName;
        };
        Message.FileEntry[] out = entries.toArray(Message.FileEntry[]::new);
        java.util.Arrays.sort(out, order.thenComparing(byName));
        return out;
    }
}
