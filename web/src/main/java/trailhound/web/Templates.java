package trailhound.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import gg.jte.resolve.DirectoryCodeResolver;
import java.nio.file.Files;
import java.nio.file.Path;

/** Creates the one template engine of a server and finds the jte sources for hot reload. */
final class Templates {
    private Templates() {}

    /**
     * Precompiled templates from the classpath (the jar), or, with {@code sources} set, templates
     * compiled on the fly from that folder and recompiled when a file changes (development).
     */
    static TemplateEngine engine(Path sources) {
        if (sources == null) {
            return TemplateEngine.createPrecompiled(ContentType.Html);
        }
        try {
            // A folder per server process, so two development servers never overwrite each other's classes.
            Path classes = Files.createTempDirectory("trailhound-jte-");
            return TemplateEngine.create(new DirectoryCodeResolver(sources), classes, ContentType.Html);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create a folder for compiled templates", e);
        }
    }

    /** The source tree's jte folder when development mode is asked for and the folder is there, else null. */
    static Path sourceTreeForHotReload() {
        boolean dev = Boolean.getBoolean("trailhound.dev") || "true".equalsIgnoreCase(System.getenv("TRAILHOUND_DEV"));
        if (!dev) {
            return null;
        }
        for (Path candidate : new Path[] {Path.of("web/src/main/jte"), Path.of("src/main/jte")}) {
            if (Files.isDirectory(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        return null;
    }

    static String render(TemplateEngine engine, String template, Object model) {
        StringOutput out = new StringOutput(8192);
        engine.render(template, model, out);
        return out.toString();
    }
}
