package trailhound.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trailhound.ingest.DataDir;
import trailhound.ingest.WriterLock;

@Command(name = "serve", mixinStandardHelpOptions = true, description = {"Serve a data folder in the browser.",
    "While it runs, commands that write the folder (ingest, reindex) hand their work to it."})
final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOption data;

    @Mixin ListenOptions listen;

    @Override
    public Integer call() throws Exception {
        WriterLock lock = WriteAccess.forServer(data.dir, "serve", spec.commandLine().getErr());
        Serving.serveUntilStopped(DataDir.open(data.dir), lock, listen.host, listen.port, false, spec.commandLine().getOut());
        return 0;
    }
}
