package trailhound.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.protocol.Message;

/** Try-out of issue 16: two analysts paging one big folder with different sorts re-read it at every page. */
class ListingsTest {
    @TempDir Path tmp;

    @Test
    void twoSortsAlternatingPages_readTheFolderOnce_inTheRightOrders() throws Exception {
        Path big = Files.createDirectories(tmp.resolve("big"));
        for (int i = 0; i < 3_000; i++) Files.write(big.resolve(String.format("f%05d.txt", i)), new byte[i % 7]);
        Path folder = big.toRealPath();
        FileService files = new FileService(FileRules.of(List.of(), List.of(), tmp.resolve("state")), null, "web-01", null);

        List<String> byName = new ArrayList<>();
        List<Message.FileEntry> bySizeDesc = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            byName.addAll(names(list(files, folder, "name", false, page * 1_000)));
            bySizeDesc.addAll(list(files, folder, "size", true, page * 1_000).entries());
        }
        assertEquals(1, files.directoryReads(), "one read of the folder served both sorts, every page");
        assertEquals(3_000, byName.size());
        assertEquals(byName.stream().sorted().toList(), byName);
        Comparator<Message.FileEntry> size = Comparator.comparing(Message.FileEntry::size);
        List<Message.FileEntry> expected = bySizeDesc.stream().sorted(size.thenComparing(Message.FileEntry::name).reversed()).toList();
        assertEquals(expected, bySizeDesc, "descending, ties by name reversed too");

        Files.createFile(big.resolve("new.txt"));
        Files.setLastModifiedTime(big, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertEquals(3_001, list(files, folder, "name", false, 0).total(), "a first page sees a folder that changed");
        assertEquals(2, files.directoryReads());
    }

    @Test
    void aFolderLargerThanTheCap_listsTheFirstEntries_andSaysHowManyItHolds() throws Exception {
        Path big = Files.createDirectories(tmp.resolve("big"));
        for (int i = 0; i < 2_500; i++) Files.createFile(big.resolve(String.format("f%05d", i)));
        Path small = Files.createDirectories(tmp.resolve("small"));
        for (int i = 0; i < 10; i++) Files.createFile(small.resolve("s" + i));
        FileService files = new FileService(FileRules.of(List.of(), List.of(), tmp.resolve("state")), null, "web-01", null);
        files.listings.maxEntries = 1_000;

        Message.Listing first = list(files, big.toRealPath(), "name", false, 0);
        assertEquals(1_000, first.total(), "no more than the cap is kept");
        assertEquals(1_000, first.entries().size());
        assertEquals("the folder has 2,500 entries, more than the 1,000 an agent lists: the first 1,000 in directory order are listed"
                + " (look for a file by its path instead)", first.note());
        assertEquals(0, list(files, big.toRealPath(), "name", false, 1_000).entries().size(), "past the cap: nothing");

        Message.Listing whole = list(files, small.toRealPath(), "name", false, 0);
        assertEquals(10, whole.total());
        assertNull(whole.note(), "a folder within the cap is listed whole and says nothing");
        assertTrue(Listings.maxEntries() <= Runtime.getRuntime().maxMemory() / 4 / Listings.ENTRY_BYTES, "bounded by the heap");
    }

    /**
     * Third try-out of #16: the demo's agents (128 MB heap) listed 81,100 entries of a folder of 100,000, which is
     * ordinary on a server (WinSxS, mail spools). An agent JVM started as the demo starts its agents lists such a
     * folder whole, in three sorts, within its heap.
     */
    @Test
    void aHundredThousandEntries_areListedWhole_byAnAgentWithTheDemosHeap() throws Exception {
        Path big = Files.createDirectories(tmp.resolve("hundred-thousand"));
        for (int i = 0; i < 100_000; i++) Files.createFile(big.resolve(String.format("f%06d.txt", i)));
        // the options of DemoAgents.JVM_OPTIONS (app), which the demo starts its agents with
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx128m", "-Xss512k",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:CICompilerCount=1", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), DemoHeapListing.class.getName(),
                big.toRealPath().toString(), tmp.resolve("state").toString());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), out);
        assertEquals("total 100000, note null, name 100000, size 100000, modified 100000", out.strip());
    }

    /** Lists a folder through the agent's file service, every page in three sorts: what an analyst paging it makes the agent keep. */
    static final class DemoHeapListing {
        public static void main(String[] args) throws Exception {
            FileService files = new FileService(FileRules.of(List.of(), List.of(), Path.of(args[1])), null, "web-01", null);
            Path folder = Path.of(args[0]);
            Message.Listing first = list(files, folder, "name", false, 0);
            StringBuilder counts = new StringBuilder();
            for (String sort : List.of("name", "size", "modified")) {
                long seen = 0;
                for (int offset = 0; offset < first.total(); offset += 1_000) seen += list(files, folder, sort, false, offset).entries().size();
                counts.append(", ").append(sort).append(' ').append(seen);
            }
            System.out.println("total " + first.total() + ", note " + first.note() + counts);
        }
    }

    private static Message.Listing list(FileService files, Path folder, String sort, boolean descending, int offset) {
        return (Message.Listing) files.answer(new Message.ListFiles(1, folder.toString(), sort, descending, offset, 1_000));
    }

    private static List<String> names(Message.Listing l) {
        return l.entries().stream().map(Message.FileEntry::name).toList();
    }
}
