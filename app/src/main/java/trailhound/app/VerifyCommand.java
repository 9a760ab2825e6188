package trailhound.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.ingest.DataDir;
import trailhound.ingest.Verifier;

@Command(name = "verify", mixinStandardHelpOptions = true, description = {
    "Check the data folder: kept sources, indexes and the audit trail.",
    "Every kept source against its SHA-256, every index against the catalogue (events per endpoint and per source),"
        + " the audit trail's hash chain. Differences are listed; exit status 1 when there are any."})
final class VerifyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        try (DataDir dir = data.openExisting()) {
            Verifier.Report r = new Verifier(dir).verify();
            r.notes().forEach(n -> out.println("note: " + n));
            r.differences().forEach(d -> out.println("DIFFERENCE: " + d));
            out.printf("%s, %s, %s checked: %s%n", Text.count(r.sourcesChecked(), "source", "sources"),
                    Text.count(r.endpointsChecked(), "endpoint index", "endpoint indexes"),
                    Text.count(dir.store().audit().count(), "audit entry", "audit entries"),
                    r.consistent() ? "consistent" : Text.count(r.differences().size(), "difference", "differences"));
            return r.consistent() ? 0 : 1;
        }
    }
}
