package trailhound.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.protocol.Message;
import trailhound.protocol.PathBytes;
import trailhound.protocol.Protocol;

/** Issue 16: a Linux name that is not UTF-8 ({@code bad\xff.bin}) was listed with U+FFFD and could not be kept, hashed or deleted. */
class RawNamesTest {
    @TempDir Path tmp;

    /** The path of {@code escapedName} (percent-escaped bytes) in {@code folder}, made without the agent's code. */
    private static Path raw(Path folder, String escapedName) {
        return Path.of(URI.create(folder.toUri().toString().replaceFirst("/?$", "/") + escapedName));
    }

    @Test
    void rawPaths_roundTripTheExactBytes_ofANameThatIsNotUtf8() throws Exception {
        Path folder = tmp.toRealPath();
        Path bad = Files.writeString(raw(folder, "bad%FF.bin"), "bad");
        byte[] bytes = RawPaths.bytes(bad);
        byte[] expected = (folder + "/bad").getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(concat(expected, new byte[] {(byte) 0xff, '.', 'b', 'i', 'n'}), bytes, "the byte 0xFF itself, not U+FFFD");
        assertArrayEquals(new byte[] {'b', 'a', 'd', (byte) 0xff, '.', 'b', 'i', 'n'}, RawPaths.nameBytes(bad));
        assertEquals(bad, RawPaths.path(bytes), "the same file, byte for byte");
        assertTrue(Files.exists(RawPaths.path(bytes), LinkOption.NOFOLLOW_LINKS));
        Path ok = Files.writeString(folder.resolve("ok é.txt"), "ok");
        assertArrayEquals((folder + "/ok é.txt").getBytes(StandardCharsets.UTF_8), RawPaths.bytes(ok));
        assertEquals(ok, RawPaths.path((folder + "//ok é.txt").getBytes(StandardCharsets.UTF_8)), "'//' as Path.of reads it");
        assertEquals(folder.resolve("%41"), RawPaths.path((folder + "/%41").getBytes(StandardCharsets.UTF_8)), "a '%' is a byte like any");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void fileService_listsTheBytes_hashesReadsAndDeletesThroughThem_andKeepsTheRules() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        Path outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        Path bad = Files.writeString(raw(root, "bad%FF.bin"), "evidence bytes");
        Files.writeString(root.resolve("ok.txt"), "ok");
        Path sub = Files.createDirectories(raw(root, "sub%FE"));
        Files.writeString(sub.resolve("in.txt"), "in");
        Files.writeString(raw(outside, "out%FF.bin"), "outside");
        Path state = tmp.resolve("state");
        try (LocalStore store = LocalStore.open(state, 1_000, "web-01", LocalStore.RecorderLimits.DEFAULT)) {
            check(new FileService(FileRules.of(List.of(root), List.of(), state), store, "web-01", null), root, outside, bad, sub);
            assertTrue(store.bytes() > 0);
        }
    }

    private static void check(FileService files, Path root, Path outside, Path bad, Path sub) throws Exception {

        Message.Listing l = (Message.Listing) files.answer(new Message.ListFiles(1, root.toString(), "name", false, 0, 100));
        Message.FileEntry e = l.entries().stream().filter(x -> x.nameBytes() != null && x.type().equals("file")).findFirst().orElseThrow();
        assertEquals("bad\uFFFD.bin", e.name());
        assertArrayEquals(new byte[] {'b', 'a', 'd', (byte) 0xff, '.', 'b', 'i', 'n'}, Base64.getDecoder().decode(e.nameBytes()));
        assertNull(l.entries().stream().filter(x -> x.name().equals("ok.txt")).findFirst().orElseThrow().nameBytes(), "absent when UTF-8");
        assertEquals(14L, e.size());

        byte[] path = PathBytes.of(null, Base64.getEncoder().encodeToString(RawPaths.bytes(bad)));
        String b64 = PathBytes.base64(path);
        Message.FileInfo info = (Message.FileInfo) files.answer(new Message.StatFile(2, PathBytes.text(path), true, b64));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("evidence bytes".getBytes(StandardCharsets.UTF_8))),
                info.sha256());
        assertEquals(b64, info.pathBytes());
        Message.FileChunk chunk = (Message.FileChunk) files.answer(new Message.ReadFile(3, PathBytes.text(path), 0, 1024, b64));
        assertEquals("evidence bytes", new String(chunk.data(), StandardCharsets.UTF_8));
        Message.Failed lossy = (Message.Failed) files.answer(new Message.StatFile(4, PathBytes.text(path), false));
        assertEquals(Protocol.Failure.NOT_FOUND.code(), lossy.code(), "the text alone names no file: " + lossy.message());

        Message.Listing inSub = (Message.Listing) files.answer(new Message.ListFiles(5, null, "name", false, 0, 100,
                Base64.getEncoder().encodeToString(RawPaths.bytes(sub))));
        assertEquals(List.of("in.txt"), inSub.entries().stream().map(Message.FileEntry::name).toList());
        assertArrayEquals(RawPaths.bytes(sub), Base64.getDecoder().decode(inSub.pathBytes()));
        assertNull(inSub.parentBytes(), "the root above is UTF-8");

        byte[] out = RawPaths.bytes(raw(outside, "out%FF.bin"));
        Message.Failed refused = (Message.Failed) files.answer(new Message.StatFile(6, null, false, PathBytes.base64(out)));
        assertEquals("refused", refused.code());
        assertTrue(refused.message().contains("out\\xFF.bin is outside the agent's allowed roots"), refused.message());
        byte[] via = concat((root + "/sub").getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xfe, '/', '.', '.', '/', '.', '.', '/'});
        via = concat(via, ("outside/out").getBytes(StandardCharsets.UTF_8));
        via = concat(via, new byte[] {(byte) 0xff, '.', 'b', 'i', 'n'});
        assertEquals("refused", ((Message.Failed) files.answer(new Message.DeleteFile(7, null, "ana", null, PathBytes.base64(via)))).code(),
                "'..' through a folder that is not UTF-8 leads out and is refused");
        assertTrue(Files.exists(raw(outside, "out%FF.bin")));

        Message.Done done = assertInstanceOf(Message.Done.class, files.answer(new Message.DeleteFile(8, PathBytes.text(path), "ana", null, b64)));
        assertEquals("deleted " + root + "/bad\\xFF.bin", done.detail(), "each byte that is not UTF-8 shown as \\xFF");
        assertFalse(Files.exists(bad, LinkOption.NOFOLLOW_LINKS), "deleted through its bytes");
        assertTrue(Files.exists(root.resolve("ok.txt")));
    }
}
