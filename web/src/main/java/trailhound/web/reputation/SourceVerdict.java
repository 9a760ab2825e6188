package trailhound.web.reputation;

import java.util.List;

/**
 * What one source says of a hash: the source's name ({@code "intel.csv: abuse.ch"},
 * {@code "VirusTotal"}), its verdict, a one-line detail for people, the date of the source's
 * assessment (ISO-8601 text as the source gave it, null when unknown) and, for multi-engine
 * sources, the engines that flagged the file.
 */
public record SourceVerdict(String source, Verdict verdict, String detail, String date, List<Finding> findings) {

    public SourceVerdict {
        findings = List.copyOf(findings);
    }

    /** One engine's opinion inside a multi-engine source (VirusTotal's last_analysis_results). */
    public record Finding(String engine, Verdict verdict, String result) {}
}
