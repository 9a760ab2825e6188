package trailhound.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import trailhound.access.AccessDeniedException;
import trailhound.access.AccessException;
import trailhound.index.UnknownEndpointException;
import trailhound.ingest.EndpointChangeException;
import trailhound.ingest.IngestException;
import trailhound.query.QuerySyntaxException;
import trailhound.web.tls.TlsException;

/**
 * Turns failures into one line on stderr and an exit status: 2 for bad input (the user can fix it),
 * 1 for anything else (with the stack trace, since that is a defect).
 */
final class Errors implements IExecutionExceptionHandler {
    /** Said after "unknown endpoint 'X'": where a command-line user finds the names. */
    static final String LIST_ENDPOINTS = ": list them with `bin/trailhound endpoints`";

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (t instanceof HandOffException h) { // the server classified the failure already
            cli.getErr().println("trailhound: " + h.getMessage());
            return h.status();
        }
        String message = switch (t) {
            case AccessException a -> Text.safe(a.getMessage());
            case AccessDeniedException d -> Text.safe(d.getMessage());
            case QuerySyntaxException q -> "bad query: " + q.getMessage();
            case org.apache.lucene.search.IndexSearcher.TooManyClauses c -> "bad query: " + trailhound.query.QueryLanguage.tooBroad();
            case UnknownEndpointException u -> u.getMessage() + LIST_ENDPOINTS;
            case IngestException i -> i.getMessage();
            case EndpointChangeException c -> Text.safe(c.getMessage());
            case TlsException tls -> tls.getMessage();
            case trailhound.opensearch.node.NodeNotBuiltException n -> n.getMessage();
            case NoSuchFileException n -> "no such file: " + n.getFile();
            case IllegalArgumentException i -> i.getMessage();
            case IOException io -> io.getMessage();
            default -> null;
        };
        if (message == null) {
            cli.getErr().println("trailhound: internal error: " + t);
            t.printStackTrace(cli.getErr());
            return 1;
        }
        cli.getErr().println("trailhound: " + message);
        return Main.BAD_INPUT;
    }
}
