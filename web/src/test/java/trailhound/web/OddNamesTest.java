package trailhound.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trailhound.ingest.Ingestor;

/**
 * Endpoint names and process keys hold anything the telemetry holds: every link and form on their
 * pages keeps the name in one path segment that a browser sends as written (no dot-segment it would
 * remove), and following each one answers 200.
 */
class OddNamesTest {
    private static final List<String> NAMES = List.of("we#ird?na%me 1/2", ".", "..", ".~", "a+b&c=d");
    private static final Pattern LINK = Pattern.compile("(href|action|hx-get|data-events-url)=\"([^\"]*)\"");

    @TempDir
    Path dir;

    @Test
    void oddNames_everyLinkOnTheirPagesKeepsTheNameAndAnswers200() throws Exception {
        try (WebTestSupport web = WebTestSupport.start(dir).signIn()) {
            StringBuilder lines = new StringBuilder();
            for (String name : NAMES) {
                String json = new com.fasterxml.jackson.databind.node.TextNode(name).toString();
                lines.append("{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Hostname\":").append(json)
                        .append(",\"UtcTime\":\"2026-10-19 07:30:46.251\",\"ProcessGuid\":").append(json)
                        .append(",\"ProcessId\":\"7\",\"Image\":\"C:\\\\x.exe\",\"CommandLine\":\"x\"}\n");
            }
            Path file = Files.writeString(dir.resolve("odd.json"), lines);
            new Ingestor(web.data(), 1).ingest(file, null);

            String list = web.get("/endpoints").body();
            for (String name : NAMES) {
                String events = "/endpoints/" + Format.segment(name) + "/events";
                assertTrue(list.contains("href=\"" + events + "\""), name + " is listed with its link: " + list);
                Set<String> seen = crawl(web, events, name);
                assertTrue(seen.stream().anyMatch(l -> l.contains("/process/")), name + ": its process page was reached: " + seen);
            }
        }
    }

    /** Follows every same-site link from {@code start} that stays on this endpoint, two clicks deep; forms are only checked. */
    private static Set<String> crawl(WebTestSupport web, String start, String name) throws Exception {
        String prefix = "/endpoints/" + Format.segment(name) + "/";
        Set<String> seen = new LinkedHashSet<>(List.of(start));
        Set<String> shapes = new java.util.HashSet<>(List.of(shape(start)));
        Deque<String[]> todo = new ArrayDeque<>();
        todo.add(new String[] {start, "0"});
        while (!todo.isEmpty()) {
            String[] next = todo.poll();
            HttpResponse<String> page = web.get(next[0]);
            assertEquals(200, page.statusCode(), name + ": " + next[0] + " -> " + page.body());
            if (Integer.parseInt(next[1]) >= 2) continue;
            Matcher m = LINK.matcher(page.body());
            while (m.find()) {
                String link = m.group(2).replace("&amp;", "&");
                if (!link.startsWith("/endpoints/") && !link.startsWith("/api/v1/endpoints/")) continue;
                assertNoDotSegment(link);
                if (m.group(1).equals("action")) continue; // a form: its fields make the request
                // one link of each shape (path and parameter names): the grid's sort, column and size links
                // differ only in values, and following each of them made this test take a minute
                if (link.startsWith(prefix) && !link.contains("/rename") && !link.contains("/merge") && !link.contains("/purge")
                        && !link.contains("export.") && shapes.add(shape(link)) && seen.add(link)) {
                    todo.add(new String[] {link, String.valueOf(Integer.parseInt(next[1]) + 1)});
                }
                if (link.startsWith("/api/v1/") && shapes.add(shape(link)) && seen.add(link)) {
                    assertEquals(200, web.get(link).statusCode(), name + ": " + link);
                }
            }
        }
        return seen;
    }

    /** The link's path and its parameter names, sorted: {@code /a/b?q=x&size=50} is {@code /a/b?q&size}. */
    private static String shape(String link) {
        int q = link.indexOf('?');
        if (q < 0) return link;
        return link.substring(0, q) + "?" + java.util.Arrays.stream(link.substring(q + 1).split("&"))
                .map(p -> p.contains("=") ? p.substring(0, p.indexOf('=')) : p).sorted().distinct()
                .collect(java.util.stream.Collectors.joining("&"));
    }

    /** A browser drops "." and ".." segments, also percent-encoded, before it sends the path. */
    private static void assertNoDotSegment(String link) {
        String path = URI.create(link.replace(" ", "%20")).getRawPath();
        for (String segment : path.split("/")) {
            String s = segment.toLowerCase(Locale.ROOT).replace("%2e", ".");
            assertFalse(s.equals(".") || s.equals(".."), "a browser would drop a segment of " + link);
        }
    }
}
