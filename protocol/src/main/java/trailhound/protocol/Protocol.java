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
 * The wire format of {@link Message}s: versions, JSON text frames, and events as maps of canonical
 * field names.
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

    /** The longest frame either side accepts, in characters: a batch of 1,000 long events fits. */
    public static final int MAX_FRAME_CHARS = 16 * 1024 * 1024;

    /** Error codes of {@link Message.Error}. */
    public enum Refusal {
        VERSION, BAD_TOKEN, UNKNOWN_AGENT, NAME_TAKEN, AGENT_TAKEN, BAD_MESSAGE, BUSY, SERVER_ERROR;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
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

    /** The event as it travels: present fields by canonical name. */
    public static Map<String, String> toWire(Event event) {
        return event.toMap();
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
            b.set(f, e.getValue());
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
