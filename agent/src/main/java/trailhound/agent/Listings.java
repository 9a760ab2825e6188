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
 * it as it is now. Memory: the folders kept hold at most {@link #MAX_ENTRIES} entries together (the
 * least recently paged folder dropped first; the folder being paged is always kept, whatever its size),
 * about 250 bytes an entry, so ~50 MB, plus at most one reference array (4-8 bytes an entry) per sort
 * key. Thread-safe (one listing at a time).
 */
final class Listings {
    static final long KEPT_MS = 60_000;
    static final long FRESH_MS = 5_000;
    static final int MAX_ENTRIES = 200_000;

    private record Read(List<Message.FileEntry> entries, long modified, long at, Map<String, Message.FileEntry[]> orders) {}

    /** Least recently used first. */
    private final LinkedHashMap<Path, Read> kept = new LinkedHashMap<>(16, 0.75f, true);
    private final Function<Path, Message.FileEntry> describe;
    private int reads;

    /** @param describe one entry's attributes, as a listing shows them */
    Listings(Function<Path, Message.FileEntry> describe) {
        this.describe = describe;
    }

    /** A page sorted by {@code sort} (one of Protocol.SORT_KEYS) of {@code folder} (real); {@code total} is the folder's size. */
    record Page(long total, int offset, List<Message.FileEntry> entries) {}

    synchronized Page page(Path folder, String sort, boolean descending, int offset, int limit) throws IOException {
        long now = System.currentTimeMillis();
        long modified = Files.getLastModifiedTime(folder).toMillis();
        Read r = kept.get(folder);
        if (r == null || now - r.at > KEPT_MS || offset == 0 && (now - r.at > FRESH_MS || r.modified != modified)) {
            r = new Read(read(folder), modified, now, new HashMap<>());
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
        return new Page(n, from, page);
    }

    /** How many times a folder was read from disk (for tests: pages served from memory read none). */
    synchronized int directoryReads() {
        return reads;
    }

    private List<Message.FileEntry> read(Path folder) throws IOException {
        reads++;
        List<Message.FileEntry> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path p : entries) out.add(describe.apply(p));
        }
        return out;
    }

    private void trim(Path keep) {
        long total = kept.values().stream().mapToLong(r -> r.entries.size()).sum();
        for (Iterator<Map.Entry<Path, Read>> it = kept.entrySet().iterator(); it.hasNext() && total > MAX_ENTRIES; ) {
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
