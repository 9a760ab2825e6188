package trailhound.web.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.web.WebTestSupport;

/** The Groups page sets a group to stream live events always, and back; the built-in group cannot be. */
class GroupStreamPageTest {
    @TempDir
    Path dir;

    @Test
    void streamButton_setsAndClearsTheGroupsStreaming() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir)) {
            web.signIn();
            assertEquals(303, web.postForm("/admin/groups", Map.of("_csrf", web.csrf(), "name", "Servers", "rule", "", "endpoints", ""))
                    .statusCode());
            assertTrue(web.get("/admin/groups").body().contains(">Stream always</button>"));
            assertEquals(303, web.postForm("/admin/groups/Servers/stream", Map.of("_csrf", web.csrf(), "stream", "always")).statusCode());
            assertEquals(List.of("Servers"), web.server().access().groups().streaming());
            assertTrue(web.get("/admin/groups").body().contains(">Streams always: stop</button>"));
            assertEquals(303, web.postForm("/admin/groups/Servers/stream", Map.of("_csrf", web.csrf(), "stream", "connected"))
                    .statusCode());
            assertEquals(List.of(), web.server().access().groups().streaming());
            assertEquals(400, web.postForm("/admin/groups/All%20endpoints/stream", Map.of("_csrf", web.csrf(), "stream", "always"))
                    .statusCode());
        }
    }
}
