package trailhound.app;

import picocli.CommandLine.Option;

/** Where the web app listens: shared by {@code serve} and {@code demo}. */
final class ListenOptions {
    @Option(names = "--port", defaultValue = "7070", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;
}
