package io.github.jareranker.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * two builds serve side by side in one process.
 *
 * <p>Protocol on standard output: {@code ready PORT} once every core has loaded, or {@code failed CORE: reason} per
 * core that did not (then it exits with 1). It stops Solr and exits when its standard input closes.
 */
public final class AbSolrNode {
    static final String READY = "ready ";
    static final String FAILED = "failed ";

    private AbSolrNode() {}

    /** {@code args[0]}: the Solr home. */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (args.length != 1) {
            out.println(FAILED + "-: usage: AbSolrNode SOLR_HOME");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        JettySolrRunner jetty = new JettySolrRunner(home.toString(), SolrJetty.config(0, Map.of()));
        jetty.start();
        List<String> failures = failedCores(jetty.getCoreContainer(), coreNames(home));
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

    private static String rootMessage(Throwable t) {
        StringBuilder message = new StringBuilder(String.valueOf(t.getMessage()));
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
            message.append(" <- ").append(c.getMessage());
        }
        return message.toString().replace('\n', ' ');
    }
}
