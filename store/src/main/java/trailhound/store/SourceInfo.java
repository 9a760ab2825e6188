package trailhound.store;

import java.util.List;

/**
 * One input kept as a source of truth.
 *
 * @param id           catalogue id; events carry it in their {@code source} field as {@code "s" + id}
 * @param kind         {@code snapshot}, {@code telemetry} or {@code journal}
 * @param originalName the file name it arrived with
 * @param sha256       hex SHA-256 of the bytes as received (null only for inputs from before sources were kept)
 * @param size         bytes
 * @param path         the kept copy, relative to the data folder (null when never kept)
 * @param format       what it was read as, e.g. {@code recorder snapshot (schema 1)} (null until read)
 * @param endpointOverride the endpoint named when it was ingested ({@code --endpoint}), or null
 * @param state        {@code ingesting}, {@code complete} or {@code failed}
 * @param reason       why it failed, or a remark (null when none)
 * @param ingestedBy   who ingested it ({@code cli:<os user>}, a web user, {@code upgrade})
 * @param ingestedAt   UTC epoch ms
 * @param endpoints    the endpoints it fed, by name, with the events it added first
 * @param timeZone     the zone its times without one were read in ({@code --timezone}, e.g. {@code Europe/Berlin}), or null: UTC
 */
public record SourceInfo(long id, String kind, String originalName, String sha256, long size, String path, String format,
        String endpointOverride, String state, String reason, String ingestedBy, long ingestedAt, List<SourceEndpoint> endpoints,
        String timeZone) {

    public static final String INGESTING = "ingesting";
    public static final String COMPLETE = "complete";
    public static final String FAILED = "failed";

    /** The value of the events' {@code source} field for this source. */
    public String label() {
        return label(id);
    }

    public static String label(long id) {
        return "s" + id;
    }

    /** Events added first by this source, over every endpoint. */
    public long events() {
        return endpoints.stream().mapToLong(SourceEndpoint::events).sum();
    }

    /** @param events events the source added first; @param rejected records of it that could not be read */
    public record SourceEndpoint(String endpoint, long events, long rejected) {}
}
