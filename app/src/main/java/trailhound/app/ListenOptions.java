package trailhound.app;

import picocli.CommandLine.Option;

/** Where the web app listens: shared by {@code serve} and {@code demo}. */
final class ListenOptions {
    @Option(names = "--port", paramLabel = "PORT", defaultValue = "7070", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;
}
