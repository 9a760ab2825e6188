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

    @Override
    public void close() {
        providers.forEach(ReputationProvider::close);
    }
}
