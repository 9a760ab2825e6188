package trailhound.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRulesTest {
    @TempDir Path tmp;

    @Test
    void resolve_followsLinksAndDotDot_thenChecksRootsAndDenyList() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path state = Files.createDirectories(root.resolve("state"));
        Path denied = Files.createDirectories(root.resolve("private"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(root.resolve("a.txt"), "a");
        Files.createSymbolicLink(root.resolve("out"), outside);
        Files.createSymbolicLink(root.resolve("to-state"), state);
        Files.createSymbolicLink(outside.resolve("back"), root.resolve("a.txt"));
        FileRules rules = FileRules.of(List.of(root), List.of(denied), state);

        assertEquals(root.toRealPath().resolve("a.txt"), rules.resolve(root + "/private/../a.txt"));
        assertEquals(root.toRealPath().resolve("a.txt"), rules.resolve(outside + "/back"), "a link from outside into a root is inside");
        for (String path : List.of(root + "/..", root + "/out", root + "/out/../root/../outside", outside.toString())) {
            FileRules.Refused e = assertThrows(FileRules.Refused.class, () -> rules.resolve(path), path);
            assertTrue(e.getMessage().contains("outside the agent's allowed roots"), e.getMessage());
        }
        FileRules.Refused toState = assertThrows(FileRules.Refused.class, () -> rules.resolve(root + "/to-state"));
        assertTrue(toState.getMessage().contains("its own state folder"), toState.getMessage());
        FileRules.Refused priv = assertThrows(FileRules.Refused.class, () -> rules.resolve(denied.toString()));
        assertTrue(priv.getMessage().contains("its --deny option"), priv.getMessage());
        assertTrue(assertThrows(FileRules.Refused.class, () -> rules.resolve("a.txt")).getMessage().contains("not absolute"));
        assertTrue(assertThrows(FileRules.Refused.class, () -> rules.resolve(root + "/nope")).missing);
        assertNull(rules.parent(root.toRealPath()), "nothing above a root");
        assertEquals(root.toRealPath(), rules.parent(root.toRealPath().resolve("private")));
    }

    /** Fourth try-out of #16: a link loop said "cannot be resolved (... Too many levels ...)", the path twice; two parentheses in a row. */
    @Test
    void aSymbolicLinkLoop_isNamedOnce_andADeniedPathHasOneParenthesisAtMost() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path state = Files.createDirectories(root.resolve("state"));
        Path denied = Files.createDirectories(root.resolve("private"));
        Files.createSymbolicLink(root.resolve("a"), root.resolve("b"));
        Files.createSymbolicLink(root.resolve("b"), root.resolve("a"));
        FileRules rules = FileRules.of(List.of(root), List.of(denied), state);
        String a = root.resolve("a").toString();
        for (String path : List.of(a, a + "/x")) {
            FileRules.Refused loop = assertThrows(FileRules.Refused.class, () -> rules.resolve(path), path);
            assertTrue(loop.getMessage().contains("is a symbolic link loop"), loop.getMessage());
            assertTrue(loop.getMessage().contains("open the folder"), loop.getMessage());
            assertEquals(loop.getMessage().indexOf(root.toString()), loop.getMessage().lastIndexOf(root.toString()), loop.getMessage());
        }
        FileRules.Refused entry = assertThrows(FileRules.Refused.class, () -> rules.resolveEntry(a + "/x"));
        assertTrue(entry.getMessage().contains("is a symbolic link loop"), entry.getMessage());

        FileRules.Refused via = assertThrows(FileRules.Refused.class, () -> rules.resolve(root + "/state/../private"));
        assertTrue(via.getMessage().contains("by its --deny option; " + root + "/state/../private resolves to it"), via.getMessage());
        assertTrue(via.getMessage().indexOf('(') < 0, via.getMessage());
    }

    @Test
    void noAllowedRoots_meansTheWholeFileSystem_butTheStateFolderStaysDenied() throws Exception {
        Path state = Files.createDirectories(tmp.resolve("state"));
        FileRules rules = FileRules.of(List.of(), List.of(), state);
        assertEquals(Path.of("/etc").toRealPath(), rules.resolve("/etc"));
        assertTrue(assertThrows(FileRules.Refused.class, () -> rules.resolve(state + "/../state")).getMessage()
                .contains("its own state folder"));
    }
}
