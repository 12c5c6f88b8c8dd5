package io.github.jareranker.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The jars of a CLI jar as its manifest's {@code Class-Path} lists them (bin/ja-reranker runs {@code java -jar}, so the
 * manifest is the class path), split into the project's own jars ({@code ja-reranker-*}) and the third-party ones.
 * {@code bench-ab} gives a Solr node the third-party jars and puts the project's jars in a core's {@code lib/}.
 *
 * @param cliJar the CLI jar itself
 * @param project the project's jars (engine, optimizer, Lucene rescorer, Solr plugin, evaluation), absolute
 * @param thirdParty every other jar, absolute, in manifest order
 */
record RuntimeJars(Path cliJar, List<Path> project, List<Path> thirdParty) {
    private static final String PROJECT_PREFIX = "ja-reranker-";

    RuntimeJars {
        project = List.copyOf(project);
        thirdParty = List.copyOf(thirdParty);
    }

    /** The jars of the CLI this class was loaded from; fails unless it runs from its jar (bin/ja-reranker). */
    static RuntimeJars ofRunningCli() throws IOException {
        CodeSource source = RuntimeJars.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IOException("cannot tell which jar this CLI runs from: its classes have no code source");
        }
        Path location;
        try {
            location = Path.of(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot tell which jar this CLI runs from: " + e);
        }
        if (!Files.isRegularFile(location)) {
            throw new IOException(
                    "this command needs the CLI run from its jar (bin/ja-reranker); it runs from " + location);
        }
        return fromManifest(location);
    }

    /** The jars the manifest of {@code jar} lists, resolved against the jar's folder; each must exist. */
    static RuntimeJars fromManifest(Path jar) throws IOException {
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile())) {
            manifest = file.getManifest();
        }
        String classPath =
                manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        if (classPath == null || classPath.isBlank()) {
            throw new IOException(jar + " has no Class-Path in its manifest");
        }
        URI base = jar.toAbsolutePath().getParent().toUri();
        List<Path> project = new ArrayList<>();
        List<Path> thirdParty = new ArrayList<>();
        for (String entry : classPath.trim().split("\\s+")) {
            Path p = Path.of(base.resolve(entry));
            if (!Files.isRegularFile(p)) {
                throw new IOException(jar + " lists " + entry + " in its Class-Path, and " + p + " is missing");
            }
            (p.getFileName().toString().startsWith(PROJECT_PREFIX) ? project : thirdParty).add(p);
        }
        return new RuntimeJars(jar.toAbsolutePath(), project, thirdParty);
    }
}
