package io.github.jareranker.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/**
 * A child JVM running {@link AbSolrNode} (the Java of this process): started by {@link #start}, which returns once the
 * node prints that every core has loaded; stopped by {@link #close()}, which closes the node's standard input, waits
 * for it to stop Solr and destroys it after a minute. Owns the process; the node's log (its standard error) is a file
 * beside the Solr home, quoted in the exception when the node fails to start.
 *
 * <p>The node is started with {@code java -jar} on a manifest-only jar whose {@code Class-Path} names the jars, so
 * {@code java.class.path} stays one entry whatever the number of jars (a long one crashed ONNX Runtime Java 1.29.0;
 * docs/reliability.md).
 */
final class AbNodeProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private AbNodeProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a node over {@code solrHome} with {@code classPath} and the system properties {@code properties}, and
     * waits up to {@code timeout} for its cores to load (models load with them: the first fused-graph rewrite of a
     * model takes seconds).
     *
     * @throws IOException when the node fails or does not report within {@code timeout} (with its reason and the end
     *     of its log); nothing stays running then
     */
    static AbNodeProcess start(
            Path solrHome, List<Path> classPath, Map<String, String> properties, String heap, Duration timeout)
            throws IOException, InterruptedException {
        Path work = solrHome.toAbsolutePath().getParent();
        Path launcher = manifestJar(work.resolve("ab-node.jar"), withoutManifestClassPaths(classPath, work));
        Path log = work.resolve("ab-node.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms" + heap);
        command.add("-Xmx" + heap);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(launcher.toString());
        command.add(solrHome.toAbsolutePath().toString());
        Process process = new ProcessBuilder(command)
                .redirectError(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        boolean ready = false;
        try {
            Future<List<String>> report = reader.submit(() -> readReport(process));
            List<String> lines = report.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
            if (last.startsWith(AbSolrNode.READY)) {
                int port = Integer.parseInt(
                        last.substring(AbSolrNode.READY.length()).trim());
                ready = true;
                return new AbNodeProcess(process, port, log);
            }
            throw new IOException("the A/B Solr node did not start: " + String.join("; ", lines) + tail(log));
        } catch (TimeoutException e) {
            throw new IOException("the A/B Solr node did not report within " + timeout.toSeconds() + " s" + tail(log));
        } catch (ExecutionException e) {
            throw new IOException("cannot read the A/B Solr node's output: " + e.getCause() + tail(log));
        } finally {
            reader.shutdownNow();
            if (!ready) {
                process.destroyForcibly();
            }
        }
    }

    /** The lines up to the node's verdict: {@code ready PORT}, the {@code failed ...} lines, or end of output. */
    private static List<String> readReport(Process process) throws IOException {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(line);
            if (line.startsWith(AbSolrNode.READY)) {
                break;
            }
        }
        return lines;
    }

    /**
     * {@code classPath} with every jar whose manifest names a {@code Class-Path} of its own replaced by a copy without
     * it, written to {@code work}. The JVM follows those entries, and the CLI jar's manifest names every jar of this
     * build, plugin included: kept, it would put this build's plugin on the node's class path, where both cores' class
     * loaders would find it before their own {@code lib/} (Solr's core class loaders ask their parent first).
     */
    static List<Path> withoutManifestClassPaths(List<Path> classPath, Path work) throws IOException {
        List<Path> out = new ArrayList<>(classPath.size());
        for (Path jar : classPath) {
            Manifest manifest;
            try (JarFile file = new JarFile(jar.toFile())) {
                manifest = file.getManifest();
            }
            if (manifest == null || manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH) == null) {
                out.add(jar);
                continue;
            }
            Path copy = work.resolve("ab-node-" + out.size() + "-" + jar.getFileName());
            manifest.getMainAttributes().remove(Attributes.Name.CLASS_PATH);
            try (JarFile in = new JarFile(jar.toFile());
                    JarOutputStream to = new JarOutputStream(Files.newOutputStream(copy), manifest)) {
                for (JarEntry entry : Collections.list(in.entries())) {
                    if (entry.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME) || isSignature(entry.getName())) {
                        continue; // the manifest is written above; a signature would no longer match it
                    }
                    to.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream from = in.getInputStream(entry)) {
                        from.transferTo(to);
                    }
                    to.closeEntry();
                }
            }
            out.add(copy);
        }
        return out;
    }

    private static boolean isSignature(String entry) {
        String upper = entry.toUpperCase(Locale.ROOT);
        return upper.startsWith("META-INF/")
                && (upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC"));
    }

    /** A jar with only a manifest: {@link AbSolrNode} as its main class, {@code classPath} as its class path. */
    static Path manifestJar(Path file, List<Path> classPath) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(Attributes.Name.MAIN_CLASS, AbSolrNode.class.getName());
        main.put(
                Attributes.Name.CLASS_PATH,
                classPath.stream()
                        .map(p -> p.toAbsolutePath().toUri().toString())
                        .collect(Collectors.joining(" ")));
        try (OutputStream out = Files.newOutputStream(file);
                JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return file;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - 15), lines.size());
            return last.isEmpty() ? "" : "\n  end of its log (" + log + "):\n    " + String.join("\n    ", last);
        } catch (IOException e) {
            return "";
        }
    }

    /** The node's HTTP port on 127.0.0.1. */
    int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT/solr}. */
    String baseUrl() {
        return "http://127.0.0.1:" + port + "/solr";
    }

    /** The node's log file (its standard error). */
    Path log() {
        return log;
    }

    /** Closes the node's standard input (it stops Solr and exits), waits up to a minute, then destroys it. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            process.getOutputStream().close();
        } finally {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
