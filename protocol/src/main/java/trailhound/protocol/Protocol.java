package trailhound.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.LinkedHashMap;
import java.util.Map;
import trailhound.schema.Event;
import trailhound.schema.Field;

/**
 * The wire format of {@link Message}s: versions, JSON frames, and events as maps of canonical
 * field names. A frame is a text frame, or a binary frame holding the same JSON in UTF-8: an agent
 * sends binary frames to a server whose {@link Message.Welcome} says it takes them, because the
 * JDK's WebSocket client encodes a text frame character by character (a tenth of a streaming
 * agent's CPU) and the server decodes one the same way.
 *
 * <pre>{@code
 * String frame = Protocol.encode(new Message.Hello(Protocol.CURRENT, "0.1.0"));
 * Message m = Protocol.decode(frame);          // ProtocolException when it is not a message
 * Optional<String> why = Protocol.refusal(hello.protocol());
 * }</pre>
 *
 * <p>Versions: a server accepts {@link #CURRENT} and the one before it, so agents can be upgraded
 * after the server; any other version is refused with a reason naming both. Thread-safe.
 */
public final class Protocol {
    /** The version this build speaks. Raise it when a message changes shape; keep reading the previous one. */
    public static final int CURRENT = 4;
    /** The oldest version a server of this build accepts. */
    public static final int OLDEST_ACCEPTED = Math.max(1, CURRENT - 1);
    /** The first version that streams on demand ({@link Message.Start}, {@link Message.Stop}) and catches up newest first. */
    public static final int ON_DEMAND = 2;
    /** The first version that answers requests: the file system, kill ({@link Message.Request}). */
    public static final int FILES = 3;
    /**
     * The first version whose state-changing requests ({@link Message.DeleteFile}, {@link Message.KillProcess})
     * carry a deadline the agent honours, and whose {@link Message.Welcome} gives the server's clock.
     */
    public static final int DEADLINES = 4;
    /**
     * The first version that takes protection policies ({@link Message.Policies}) and enforces them
     * (built beside the deadlines in the same round, so one version for both).
     */
    public static final int POLICIES = 4;
    /**
     * Most bytes in one {@link Message.FileChunk}: 1 MiB, 1.4 M characters once in base64, far below
     * {@link #MAX_FRAME_CHARS}; a 1 GB file is a thousand round trips.
     */
    public static final int CHUNK_BYTES = 1 << 20;
    /** Most entries in one {@link Message.Listing}. */
    public static final int MAX_PAGE_ENTRIES = 5_000;
    /** The keys a listing sorts by. */
    public static final java.util.List<String> SORT_KEYS = java.util.List.of("name", "type", "size", "created", "modified",
            "permissions", "owner");

    /** Codes of {@link Message.Failed}. */
    public enum Failure {
        /** The path resolves outside the agent's allowed roots or inside its deny list. */
        REFUSED,
        /** No such file, folder or process. */
        NOT_FOUND,
        /** Not the kind of thing asked for (a folder to read, a file to list). */
        WRONG_TYPE,
        /** The operating system refused (permissions) or an I/O error. */
        IO,
        /** The request is malformed. */
        BAD_REQUEST,
        /** Version 4: the request reached the agent, or its turn came, after its deadline: not carried out. */
        EXPIRED;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The longest frame either side accepts, in characters (bytes for a binary frame): a batch of 1,000 long events fits. */
    public static final int MAX_FRAME_CHARS = 16 * 1024 * 1024;

    /** Error codes of {@link Message.Error}. */
    public enum Refusal {
        VERSION, BAD_TOKEN, UNKNOWN_AGENT, NAME_TAKEN, AGENT_TAKEN, BAD_MESSAGE, BUSY, SERVER_ERROR;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    // pairs of surrogates as the 4 UTF-8 bytes of their character, not two 6-byte escapes: text of emoji
    // tripled a batch's bytes (values are made well-formed first, see toWire, so no lone one is left to escape)
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false); // a newer peer may add fields

    private Protocol() {}

    /** Whether a server of this build talks with an agent speaking {@code version}. */
    public static boolean accepts(int version) {
        return version >= OLDEST_ACCEPTED && version <= CURRENT;
    }

    /** Why {@code version} is refused, for the {@link Message.Error} and the audit trail. */
    public static String versionRefusal(int version) {
        return "protocol version " + version + " is not supported: this server speaks " + OLDEST_ACCEPTED
                + (OLDEST_ACCEPTED == CURRENT ? "" : " to " + CURRENT) + "; "
                + (version > CURRENT ? "upgrade the server" : "upgrade the agent");
    }

    /** The message as one JSON text frame. */
    public static String encode(Message message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** The message as the UTF-8 bytes of one JSON binary frame (the same JSON as {@link #encode}). */
    public static byte[] encodeBytes(Message message) {
        try {
            return JSON.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /**
     * One event as it travels inside a {@link Message.Batch}: the UTF-8 JSON object of its {@link #toWire}
     * map. An agent keeps its waiting events in this form, so that a batch is written around them
     * ({@link #encodeBatch}) without reading and writing each one again.
     */
    public static byte[] encodeEvent(Map<String, String> wire) {
        try {
            return JSON.writeValueAsBytes(wire);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an event", e);
        }
    }

    private static final byte[] NO_EVENTS = "\"events\":[]".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /**
     * The UTF-8 frame of {@code header} (a batch without events) holding {@code events}, each as
     * {@link #encodeEvent} gave it: the same bytes as {@link #encodeBytes} of the batch holding those events
     * as maps. The events are copied as they are, so they must be JSON objects.
     *
     * @throws IllegalArgumentException when the header holds events
     */
    public static byte[] encodeBatch(Message.Batch header, java.util.List<byte[]> events) {
        if (!header.events().isEmpty()) throw new IllegalArgumentException("the header of a batch holds no events");
        byte[] head = encodeBytes(header);
        // the only place the bytes can occur: the batch's fields are numbers and booleans
        int at = indexOf(head, NO_EVENTS);
        if (at < 0) throw new IllegalStateException("a batch frame without its events: " + new String(head, java.nio.charset.StandardCharsets.UTF_8));
        int open = at + NO_EVENTS.length - 1; // at ']'
        int size = head.length + Math.max(0, events.size() - 1);
        for (byte[] e : events) size += e.length;
        byte[] frame = new byte[size];
        System.arraycopy(head, 0, frame, 0, open);
        int p = open;
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) frame[p++] = ',';
            byte[] e = events.get(i);
            System.arraycopy(e, 0, frame, p, e.length);
            p += e.length;
        }
        System.arraycopy(head, open, frame, p, head.length - open);
        return frame;
    }

    private static int indexOf(byte[] in, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= in.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    /**
     * The message in a binary frame (UTF-8 JSON).
     *
     * @throws ProtocolException as {@link #decode(CharSequence)}, the limit in bytes
     */
    public static Message decode(java.nio.ByteBuffer frame) {
        if (frame.remaining() > MAX_FRAME_CHARS) {
            throw new ProtocolException("frame of " + frame.remaining() + " bytes is longer than the limit of " + MAX_FRAME_CHARS);
        }
        try {
            Message m;
            if (frame.hasArray()) {
                m = JSON.readValue(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining(), Message.class);
            } else {
                byte[] bytes = new byte[frame.remaining()];
                frame.duplicate().get(bytes);
                m = JSON.readValue(bytes, Message.class);
            }
            if (m == null) throw new ProtocolException("empty frame: expected a JSON object with a \"type\"");
            return m;
        } catch (JsonProcessingException e) {
            throw new ProtocolException("not a protocol message: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new ProtocolException("not a protocol message: " + e.getMessage());
        }
    }

    /**
     * The message in a text frame.
     *
     * @throws ProtocolException when it is not JSON, has no known {@code type}, or is longer than {@link #MAX_FRAME_CHARS}
     */
    public static Message decode(CharSequence frame) {
        if (frame.length() > MAX_FRAME_CHARS) {
            throw new ProtocolException("frame of " + frame.length() + " characters is longer than the limit of " + MAX_FRAME_CHARS);
        }
        try {
            Message m = JSON.readValue(frame.toString(), Message.class);
            if (m == null) throw new ProtocolException("empty frame: expected a JSON object with a \"type\"");
            return m;
        } catch (JsonProcessingException e) {
            throw new ProtocolException("not a protocol message: " + e.getOriginalMessage());
        }
    }

    /**
     * A digest of a policy set: SHA-256 (hex) of its frame; null for an empty set, which is what an agent
     * that holds none has.
     */
    public static String digest(Message.Policies policies) {
        if (policies.policies().isEmpty()) return null;
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(encode(policies).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Most bytes of events an agent puts in one batch (one event, however large, always goes): a quarter of a frame. */
    public static final int MAX_BATCH_BYTES = MAX_FRAME_CHARS / 4;

    /**
     * The event as it travels: present fields by canonical name, each value well-formed UTF-16 (a lone
     * surrogate, which a hostile value may hold, becomes U+FFFD, as the index stores it: the journal keeps
     * the same text as the index, and every JSON writer and SQLite store on the way can hold it).
     */
    public static Map<String, String> toWire(Event event) {
        Map<String, String> wire = event.toMap();
        wire.replaceAll((name, value) -> wellFormed(value));
        return wire;
    }

    /** {@code s} with each lone surrogate replaced by U+FFFD; {@code s} itself when it has none (or is null). */
    private static String wellFormed(String s) {
        char[] out = null;
        for (int i = 0; s != null && i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a pair: one character
            } else if (Character.isSurrogate(c)) {
                if (out == null) out = s.toCharArray();
                out[i] = '\uFFFD';
            }
        }
        return out == null ? s : new String(out);
    }

    /**
     * The event a wire map describes.
     *
     * @throws ProtocolException for an unknown field name, a missing {@code event_uid}, {@code ts} or
     *     {@code type}, or a {@code ts} that is not a number
     */
    public static Event fromWire(Map<String, String> wire) {
        Event.Builder b = Event.builder();
        for (Map.Entry<String, String> e : wire.entrySet()) {
            Field f = Field.byName(e.getKey()).orElseThrow(() -> new ProtocolException("unknown event field '" + e.getKey() + "'"));
            b.set(f, wellFormed(e.getValue())); // an agent of before it may send lone surrogates escaped
        }
        String ts = b.get(Field.TS);
        if (ts == null || b.get(Field.EVENT_UID) == null || b.get(Field.TYPE) == null) {
            throw new ProtocolException("an event needs event_uid, ts and type; got " + new LinkedHashMap<>(wire).keySet());
        }
        try {
            Long.parseLong(ts);
        } catch (NumberFormatException e) {
            throw new ProtocolException("ts must be epoch milliseconds, was '" + ts + "'");
        }
        return b.build();
    }
}
