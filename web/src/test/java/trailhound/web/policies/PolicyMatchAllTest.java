package trailhound.web.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.access.Caller;
import trailhound.web.WebTestSupport;

/**
 * The guard against a rule that acts on every process, over the API: every spelling of a match-all
 * command-line regex is refused with its message, decided on the regex's automaton (fourth try-out of
 * issue #17: {@code /(?s).+/}, {@code /.{1,}/} and {@code /[\s\S]+/} were accepted), and a regex with
 * something to match still makes a policy.
 */
class PolicyMatchAllTest {
    @TempDir static Path dir;
    static WebTestSupport web;

    @BeforeAll
    static void start() throws Exception {
        web = WebTestSupport.start(dir).signIn();
        web.server().access().groups().create(Caller.commandLine(), "Workstations", null, List.of(WebTestSupport.ENDPOINT));
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) web.close();
    }

    private static HttpResponse<String> create(String name, String commandLine) throws Exception {
        return web.postJson("/api/v1/policies", "{\"name\":\"" + name + "\",\"action\":\"block\",\"groups\":[\"Workstations\"],"
                + "\"rules\":[{\"command_line\":" + new TextNode(commandLine) + "}]}");
    }

    @Test
    void matchAllRegex_anySpelling_refusedWithTheGuardsMessage() throws Exception {
        // fifth try-out: /(.|\n)+/ and POSIX-looking classes the automaton's reading gives up on went through
        for (String regex : List.of("/(?s).+/", "/.{1,}/", "/[\\s\\S]+/", "/.*.*/", "/(.*)/", "/(?:\\S|\\s)*/", "/^.+$/", "/(.|\\n)+/",
                "/[[:^alpha:][:alpha:]]+/", "/(\\w|\\W)+/", "/[^\\x00]+/")) {
            HttpResponse<String> refused = create("All", regex);
            assertEquals(400, refused.statusCode(), regex + ": " + refused.body());
            assertTrue(refused.body().contains("the rule matches every process"), regex + ": " + refused.body());
        }
        HttpResponse<String> made = create("Encoded", "/(?s).+ -enc .+/");
        assertEquals(201, made.statusCode(), made.body());
    }
}
