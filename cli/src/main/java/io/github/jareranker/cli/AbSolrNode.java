package io.github.jareranker.cli;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.solr.core.CoreContainer;
import org.apache.solr.core.SolrCore;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * The Solr node of {@code bench-ab}, run in a JVM of its own ({@link AbNodeProcess} starts it): Solr's Jetty runner on
 * 127.0.0.1 (any free port) over a Solr home with one core per build, each core holding its build's plugin jars in
 * {@code lib/} and its build's configset in {@code conf/}. The node's class path has Solr and the third-party jars but
 * no ja-reranker plugin class, so each core loads the plugin of its own build through its own class loader, and the
 * two builds serve side by side in one process. It checks both before it reports ready: no plugin class on its own
 * class path, and each core's query parser class from a jar in that core's {@code lib/}.
 *
 * <p>Protocol on standard output: {@code ready PORT} once every core has loaded, or {@code failed CORE: reason} per
 * core that did not (then it exits with 1). It stops Solr and exits when its standard input closes.
 */
public final class AbSolrNode {
    static final String READY = "ready ";
    static final String FAILED = "failed ";

    /** Classes of the plugin's own jars: the first is the query parser every core's configset names. */
    static final List<String> PLUGIN_CLASSES = List.of(
            "io.github.jareranker.solr.CrossEncoderRerankQParserPlugin", "io.github.jareranker.encoder.CrossEncoder");

    private AbSolrNode() {}

    /** {@code args[0]}: the Solr home. */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (args.length != 1) {
            out.println(FAILED + "-: usage: AbSolrNode SOLR_HOME");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        for (String name : PLUGIN_CLASSES) {
            URL leaked = ClassLoader.getSystemClassLoader().getResource(resource(name));
            if (leaked != null) {
                out.println(FAILED + "-: the node's class path holds " + name + " (" + leaked
                        + "), which every core would load instead of its own build's");
                System.exit(1);
            }
        }
        JettySolrRunner jetty = new JettySolrRunner(home.toString(), SolrJetty.config(0, Map.of()));
        jetty.start();
        List<String> cores = coreNames(home);
        List<String> failures = failedCores(jetty.getCoreContainer(), cores);
        if (failures.isEmpty()) {
            failures = coresNotOnTheirOwnPlugin(jetty.getCoreContainer(), cores);
        }
        if (!failures.isEmpty()) {
            failures.forEach(f -> out.println(FAILED + f));
            jetty.stop();
            System.exit(1);
        }
        out.println(READY + jetty.getLocalPort());
        // Runs until the parent closes our standard input (or dies, which closes it too).
        while (System.in.read() != -1) {
            // the parent sends nothing; wait for end of input
        }
        jetty.stop();
    }

    /** The names of the cores under {@code home}: the folders with a core.properties. */
    static List<String> coreNames(Path home) throws Exception {
        try (Stream<Path> dirs = Files.list(home)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("core.properties")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    private static List<String> failedCores(CoreContainer container, List<String> cores) {
        List<String> failures = new ArrayList<>();
        if (container == null) {
            failures.add("-: Solr did not start");
            return failures;
        }
        for (String name : cores) {
            try (SolrCore core = container.getCore(name)) {
                if (core == null) {
                    CoreContainer.CoreLoadFailure failure =
                            container.getCoreInitFailures().get(name);
                    failures.add(name + ": " + (failure == null ? "not loaded" : rootMessage(failure.exception)));
                }
            }
        }
        return failures;
    }

    /**
     * The cores whose query parser class does not come from a jar in their own {@code lib/}: what would make the A/B
     * compare one build with itself.
     */
    private static List<String> coresNotOnTheirOwnPlugin(CoreContainer container, List<String> cores) {
        String parser = PLUGIN_CLASSES.get(0);
        List<String> failures = new ArrayList<>();
        for (String name : cores) {
            try (SolrCore core = container.getCore(name)) {
                Path lib =
                        core.getInstancePath().resolve("lib").toAbsolutePath().normalize();
                Path source = codeSource(parser, core.getResourceLoader().getClassLoader());
                if (source == null || !source.startsWith(lib)) {
                    failures.add(name + ": loads " + parser + " from " + source + ", not from " + lib);
                }
            }
        }
        return failures;
    }

    /** The class file of {@code className}, as a class loader's resource name. */
    private static String resource(String className) {
        return className.replace('.', '/') + ".class";
    }

    /** Where {@code loader} loads {@code className} from (its jar), or null when it cannot tell. */
    private static Path codeSource(String className, ClassLoader loader) {
        try {
            CodeSource source = Class.forName(className, false, loader)
                    .getProtectionDomain()
                    .getCodeSource();
            return source == null || source.getLocation() == null
                    ? null
                    : Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (ClassNotFoundException | URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String rootMessage(Throwable t) {
        StringBuilder message = new StringBuilder(String.valueOf(t.getMessage()));
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
            message.append(" <- ").append(c.getMessage());
        }
        return message.toString().replace('\n', ' ');
    }
}
