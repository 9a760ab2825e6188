package trailhound.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.ingest.DataDir;

@Command(name = "serve", description = "Serve a data folder in the browser.")
final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;

    @Mixin ListenOptions listen;

    @Override
    public Integer call() throws Exception {
        Serving.serveUntilStopped(DataDir.open(data.dir), listen.host, listen.port, spec.commandLine().getOut());
        return 0;
    }
}
