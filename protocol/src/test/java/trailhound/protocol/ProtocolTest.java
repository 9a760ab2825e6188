package trailhound.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import trailhound.schema.Event;
import trailhound.schema.Field;

class ProtocolTest {
    @Test
    void everyMessage_roundTrips() {
        Event e = Event.builder().set(Field.EVENT_UID, "r00-1").ts(1_700_000_000_123L).set(Field.TYPE, "process")
                .set(Field.COMMAND_LINE, "sh -c 'echo \"x\"'\n\u0000").build();
        List<Message> all = List.of(new Message.Hello(1, "0.1.0"), new Message.Welcome(1, "sha256/abc="),
                new Message.Enrol("te_x", "ws-01", "ws-01.lan", "Linux", "a1", "s"), new Message.Enrolled("a1", "ws-01"),
                new Message.Authenticate("a1", "s"), new Message.Authenticated("ws-01", 42),
                new Message.Heartbeat("Linux", List.of("10.0.0.1"), "0.1.0", 5, 4096, 1 << 30, 1L),
                new Message.Batch(3, 1, 1, List.of(Protocol.toWire(e))), new Message.Ack(3, 1),
                new Message.Authenticated("ws-01", 42, 50L, 90L), Message.Batch.backfill(4, 60, 90, List.of(Protocol.toWire(e)), 48L),
                new Message.Ack(4, 42, 60L, 90L), new Message.Start(), new Message.Stop(),
                new Message.Error("version", "upgrade"));
        for (Message m : all) assertEquals(m, Protocol.decode(Protocol.encode(m)));
        Message.Batch b = (Message.Batch) Protocol.decode(Protocol.encode(all.get(7)));
        assertEquals(e, Protocol.fromWire(b.events().getFirst()));
    }

    @Test
    void binaryFrames_holdTheSameJson_andABatchIsWrittenAroundKeptEvents() {
        Event e = Event.builder().set(Field.EVENT_UID, "r00-1").ts(1_700_000_000_123L).set(Field.TYPE, "process")
                .set(Field.COMMAND_LINE, "sh -c 'echo \"x\"' \u00e9\u6f22\ud83d\ude00\n\u0000").build();
        Event other = Event.builder().set(Field.EVENT_UID, "r00-2").ts(1_700_000_000_124L).set(Field.TYPE, "file").build();
        for (Message m : List.of(new Message.Hello(4, "0.1.0"), new Message.Welcome(4, null, 5L, true),
                Message.Batch.backfill(4, 60, 90, List.of(Protocol.toWire(e)), 48L), new Message.Heartbeat("Linux", List.of(), "0.1.0", 5, 4096, 1, 1L))) {
            byte[] utf8 = Protocol.encodeBytes(m);
            assertEquals(m, Protocol.decode(java.nio.ByteBuffer.wrap(utf8)));
            java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(utf8.length + 3).put(new byte[] {9, 9, 9}).put(utf8).flip().position(3);
            assertEquals(m, Protocol.decode(direct), "a buffer without an array, not at 0");
        }
        Event lone = Event.builder().set(Field.EVENT_UID, "r00-3").ts(1_700_000_000_125L).set(Field.TYPE, "file")
                .set(Field.FILE_PATH, "C:\\x\ud800y\udc00").build(); // unpaired surrogates, as hostile values may hold
        for (Message.Batch batch : List.of(new Message.Batch(7, 10, 12, List.of(Protocol.toWire(e), Protocol.toWire(other), Protocol.toWire(lone))),
                Message.Batch.backfill(8, 1, 11, List.of(Protocol.toWire(other)), 11L))) {
            Message.Batch header = new Message.Batch(batch.batchId(), batch.first(), batch.last(), List.of(), batch.backfill(), batch.catchupEvents());
            List<byte[]> kept = batch.events().stream().map(Protocol::encodeEvent).toList();
            byte[] frame = Protocol.encodeBatch(header, kept);
            assertEquals(new String(Protocol.encodeBytes(batch), java.nio.charset.StandardCharsets.UTF_8),
                    new String(frame, java.nio.charset.StandardCharsets.UTF_8), "the batch's own frame, byte for byte");
            Message.Batch back = (Message.Batch) Protocol.decode(java.nio.ByteBuffer.wrap(frame));
            assertEquals(batch, back);
            assertEquals(batch, Protocol.decode(new String(frame, java.nio.charset.StandardCharsets.UTF_8)), "also as a text frame");
            for (int i = 0; i < back.events().size(); i++) {
                assertEquals(Protocol.fromWire(batch.events().get(i)), Protocol.fromWire(back.events().get(i)));
            }
        }
        // a lone surrogate becomes U+FFFD on the way (as the index stores it), a pair stays one 4-byte character
        assertEquals("C:\\x\ufffdy\ufffd", Protocol.toWire(lone).get("file_path"));
        assertEquals("a\ufffdb\ud83d\ude00", Protocol.fromWire(Map.of("event_uid", "u", "ts", "1", "type", "file", "file_path",
                "a\udc00b\ud83d\ude00")).get(Field.FILE_PATH), "from an agent that sends them escaped");
        String emoji = new String(Protocol.encodeEvent(Protocol.toWire(e)), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(emoji.contains("\ud83d\ude00") && !emoji.contains("\\uD83D") && !emoji.contains("\\ud83d"), emoji);
        assertThrows(IllegalArgumentException.class, () -> Protocol.encodeBatch(new Message.Batch(1, 1, 1, List.of(Protocol.toWire(e))), List.of()));
        assertEquals("{\"type\":\"batch\",\"batch_id\":1,\"first\":1,\"last\":0,\"events\":[]}",
                new String(Protocol.encodeBatch(new Message.Batch(1, 1, 0, List.of()), List.of()), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("{\"type\":\"welcome\",\"protocol\":4,\"server_time\":5}", Protocol.encode(new Message.Welcome(4, null, 5L)),
                "a server that takes text only says nothing new");
        assertTrue(new Message.Welcome(4, null, 5L, true).takesBinaryFrames());
        assertFalse(((Message.Welcome) Protocol.decode("{\"type\":\"welcome\",\"protocol\":4}")).takesBinaryFrames());
        ProtocolException garbage = assertThrows(ProtocolException.class, () -> Protocol.decode(java.nio.ByteBuffer.wrap(new byte[] {'{', 'x'})));
        assertTrue(garbage.getMessage().startsWith("not a protocol message"), garbage.getMessage());
        ProtocolException big = assertThrows(ProtocolException.class,
                () -> Protocol.decode(java.nio.ByteBuffer.allocate(Protocol.MAX_FRAME_CHARS + 1)));
        assertTrue(big.getMessage().contains("bytes is longer than the limit"), big.getMessage());
    }

    @Test
    void requestsAndReplies_roundTrip_chunksAsBase64() {
        List<Message> all = List.of(new Message.ListFiles(1, "/var/log", "size", true, 1000, 1000),
                new Message.Listing(1, "/var/log", "/var", List.of("/"), 2001, 1000, List.of(
                        new Message.FileEntry("syslog", "file", 42L, 1L, 2L, "rw-r-----", "root", null),
                        new Message.FileEntry("x", "link", 3L, null, null, null, "ana", "/etc/passwd"))),
                new Message.StatFile(2, "/x", true), new Message.FileInfo(2, "/x", 5, 9, "ab".repeat(32)),
                new Message.ReadFile(3, "/x", 1 << 20, Protocol.CHUNK_BYTES), new Message.FileChunk(3, 1 << 20, new byte[] {0, -1, 7}, 5, 9),
                new Message.DeleteFile(4, "/x", "ana"), new Message.KillProcess(5, 4242, "/usr/bin/sleep", "ana"),
                new Message.Done(4, "deleted /x"), new Message.Failed(5, "refused", "outside the allowed roots"));
        for (Message m : all) assertEquals(m, Protocol.decode(Protocol.encode(m)));
        assertEquals("{\"type\":\"file_chunk\",\"request_id\":3,\"offset\":0,\"data\":\"AP8H\",\"size\":3,\"modified\":9}",
                Protocol.encode(new Message.FileChunk(3, 0, new byte[] {0, -1, 7}, 3, 9)));
        int base64 = Protocol.encode(new Message.FileChunk(1, 0, new byte[Protocol.CHUNK_BYTES], 1, 1)).length();
        assertTrue(base64 < Protocol.MAX_FRAME_CHARS / 8, "a full chunk is a small frame: " + base64);
    }

    @Test
    void priority_carriesEventsAsBatchesDo() {
        Event e = Event.builder().set(Field.EVENT_UID, "pol1-42-0").ts(1_700_000_000_123L).set(Field.TYPE, "policy").build();
        Message.Priority p = new Message.Priority(List.of(Protocol.toWire(e)));
        String frame = Protocol.encode(p);
        assertTrue(frame.startsWith("{\"type\":\"priority\",\"events\":["), frame);
        assertEquals(p, Protocol.decode(frame));
        assertEquals(e.uid(), Protocol.fromWire(((Message.Priority) Protocol.decode(frame)).events().getFirst()).uid());
    }

    @Test
    void encode_usesSnakeCaseAndType() {
        assertEquals("{\"type\":\"ack\",\"batch_id\":3,\"acknowledged\":9}", Protocol.encode(new Message.Ack(3, 9)));
    }

    @Test
    void version1Shapes_areUnchanged() {
        assertEquals("{\"type\":\"authenticated\",\"endpoint\":\"e\",\"acknowledged\":5}",
                Protocol.encode(new Message.Authenticated("e", 5)));
        assertEquals(new Message.Batch(1, 2, 2, List.of()), Protocol.decode("{\"type\":\"batch\",\"batch_id\":1,\"first\":2,\"last\":2,\"events\":[]}"));
        assertFalse(((Message.Batch) Protocol.decode("{\"type\":\"batch\",\"batch_id\":1,\"first\":2,\"last\":2}")).backfilling());
        assertEquals("{\"type\":\"start\"}", Protocol.encode(new Message.Start()));
    }

    @Test
    void version4_deadlinesAndServerTime_roundTrip_version3ShapesUnchanged() {
        List<Message> all = List.of(new Message.Welcome(4, null, 1_700_000_000_000L),
                new Message.DeleteFile(4, "/x", "ana", 1_700_000_030_000L), new Message.KillProcess(5, 42, null, "ana", 1_700_000_030_000L),
                new Message.Failed(5, Protocol.Failure.EXPIRED.code(), "too late"));
        for (Message m : all) assertEquals(m, Protocol.decode(Protocol.encode(m)));
        assertEquals(1_700_000_030_000L, ((Message.Request) all.get(2)).deadline());
        assertEquals(null, new Message.ReadFile(1, "/x", 0, 1).deadline(), "reads carry no deadline");
        assertEquals("{\"type\":\"kill_process\",\"request_id\":5,\"pid\":42,\"user\":\"ana\"}",
                Protocol.encode(new Message.KillProcess(5, 42, null, "ana")), "without a deadline: version 3's shape");
        assertEquals("{\"type\":\"welcome\",\"protocol\":3}", Protocol.encode(new Message.Welcome(3, null)));
        assertEquals(new Message.DeleteFile(4, "/x", "ana"), Protocol.decode("{\"type\":\"delete_file\",\"request_id\":4,\"path\":\"/x\",\"user\":\"ana\"}"));
        assertEquals("expired", Protocol.Failure.EXPIRED.code());
        assertTrue(Protocol.accepts(Protocol.FILES), "an agent of protocol 3 is still accepted");
        assertEquals(4, Protocol.CURRENT);
    }

    @Test
    void accepts_currentAndPreviousOnly() {
        assertTrue(Protocol.accepts(Protocol.CURRENT));
        assertTrue(Protocol.accepts(Protocol.OLDEST_ACCEPTED));
        assertFalse(Protocol.accepts(Protocol.CURRENT + 1));
        assertFalse(Protocol.accepts(Protocol.OLDEST_ACCEPTED - 1));
        assertTrue(Protocol.versionRefusal(Protocol.CURRENT + 1).contains("upgrade the server"));
        assertTrue(Protocol.versionRefusal(0).contains("upgrade the agent"));
    }

    @Test
    void decode_garbage_saysWhat() {
        assertThrows(ProtocolException.class, () -> Protocol.decode("{\"type\":\"nope\"}"));
        assertThrows(ProtocolException.class, () -> Protocol.decode("not json"));
        ProtocolException e = assertThrows(ProtocolException.class, () -> Protocol.fromWire(Map.of("colour", "red")));
        assertTrue(e.getMessage().contains("colour"), e.getMessage());
        assertThrows(ProtocolException.class, () -> Protocol.fromWire(Map.of("event_uid", "x", "type", "process", "ts", "soon")));
    }
}
