package trailhound.web.reputation;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hash reputation for the pages and the API: asks every provider (the data folder's
 * {@code intel.csv}, then VirusTotal when an API key is configured) and combines their verdicts.
 *
 * <pre>{@code
 * ReputationService reputation = ReputationService.create(dataDir.root(), VirusTotalSettings.fromEnvironment(System.getenv()));
 * Verdict v = reputation.report(sha256).verdict();
 * }</pre>
 *
 * <p>Thread-safe; never blocks on the network (a queued VirusTotal lookup reports
 * {@link Verdict#PENDING}). Close it to stop the VirusTotal worker.
 */
public final class ReputationService implements Closeable {
    /** The intel file's name inside the data folder. */
    public static final String INTEL_FILE = "intel.csv";

    private final List<ReputationProvider> providers;

    private ReputationService(List<ReputationProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    /** Reads {@code dataRoot/intel.csv} (when present) and, given settings, asks VirusTotal. */
    public static ReputationService create(Path dataRoot, Optional<VirusTotalSettings> virusTotal) {
        List<ReputationProvider> providers = new ArrayList<>();
        providers.add(new IntelFileProvider(dataRoot.resolve(INTEL_FILE)));
        virusTotal.ifPresent(s -> providers.add(new VirusTotalClient(s)));
        return new ReputationService(providers);
    }

    /** As {@link #create}, with VirusTotal configured from the environment (see {@link VirusTotalSettings#fromEnvironment}). */
    public static ReputationService fromEnvironment(Path dataRoot, Map<String, String> env) {
        return create(dataRoot, VirusTotalSettings.fromEnvironment(env));
    }

    /**
     * Every source's verdict on the hash and the combined verdict.
     *
     * @throws IllegalArgumentException when {@code hash} is not an MD5, SHA-1 or SHA-256 hex string
     */
    public ReputationReport report(String hash) {
        String h = Hashes.normalise(hash);
        List<SourceVerdict> sources = new ArrayList<>();
        for (ReputationProvider p : providers) {
            sources.addAll(p.lookup(h));
        }
        return new ReputationReport(h, Verdict.strongest(sources.stream().map(SourceVerdict::verdict).toList()), sources);
    }

    /**
     * The report on a hash field's value, or null when it is absent or not an MD5, SHA-1 or SHA-256
     * (a recorder may write anything into a hash field; such a value gets no badge).
     */
    public ReputationReport reportIfHash(String value) {
        return value != null && Hashes.isHash(value.strip()) ? report(value) : null;
    }

    /**
     * The one verdict on a file known by several hashes (MD5, SHA-1, SHA-256 of the same image; nulls
     * and non-hashes skipped): the strongest of their reports ({@link Verdict} order), null when none
     * is a hash. An intel file that lists only the MD5 as malicious makes the file malicious.
     */
    public ReputationReport strongest(String... values) {
        ReputationReport best = null;
        for (String v : values) {
            ReputationReport r = reportIfHash(v);
            if (r != null && (best == null || r.verdict().ordinal() < best.verdict().ordinal())) best = r;
        }
        return best;
    }

    @Override
    public void close() {
        providers.forEach(ReputationProvider::close);
    }
}
