package trailhound.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent runs on endpoints: its resolved classpath (as Maven gave it to this test) carries no server parts. */
class AgentClasspathTest {
    private static final List<String> FORBIDDEN = List.of("lucene", "javalin", "jetty", "jte", "/web/target", "/index/target",
            "/ingest/target", "/access/target", "/store/target", "/app/target", "trailhound-web", "poi-");

    @Test
    void classpath_hasNoLuceneJavalinJettyOrWebApp() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = Arrays.stream(classpath.split(File.pathSeparator)).map(e -> e.replace('\\', '/')).toList();
        assertTrue(entries.stream().anyMatch(e -> e.contains("/protocol/") || e.contains("protocol-")), "protocol on " + entries);
        assertTrue(entries.stream().anyMatch(e -> e.contains("/recorder/") || e.contains("recorder-")), "recorder on " + entries);
        List<String> found = entries.stream()
                .filter(e -> FORBIDDEN.stream().anyMatch(f -> e.toLowerCase(java.util.Locale.ROOT).contains(f))).toList();
        assertEquals(List.of(), found, "the agent must not carry the server's libraries");
    }

    @Test
    void classpath_cannotLoadServerClasses() {
        for (String name : List.of("org.apache.lucene.index.IndexWriter", "io.javalin.Javalin", "org.eclipse.jetty.server.Server",
                "trailhound.web.WebServer", "trailhound.index.Indexes")) {
            try {
                Class.forName(name, false, getClass().getClassLoader());
                throw new AssertionError(name + " is loadable from the agent's classpath");
            } catch (ClassNotFoundException expected) {
                // absent, as it should be
            }
        }
    }
}
