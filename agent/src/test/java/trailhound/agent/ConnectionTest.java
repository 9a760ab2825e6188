package trailhound.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Connection failures in words: the agent's log said "disconnected: java.net.ConnectException" (#15's try-out). */
class ConnectionTest {
    @Test
    void nothingListening_saysConnectionRefusedInWords_noClassName() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        IOException e = assertThrows(IOException.class,
                () -> Connection.open(URI.create("ws://127.0.0.1:" + port + "/api/v1/agent"), null, new java.util.concurrent.atomic.AtomicReference<>()));
        assertTrue(e.getMessage().startsWith("connection refused: nothing listens at the server's address and port"), e.getMessage());
        assertFalse(e.getMessage().contains("java.") || e.getMessage().contains("Exception"), e.getMessage());
    }
}
