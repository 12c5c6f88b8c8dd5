package io.github.jareranker.evaluation.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The one writer of benchmark, soak and evaluation results: every file it writes is a JSON object that records, at the
 * top level, the commit it was measured on ({@code commit}: {@code git rev-parse HEAD} of the checkout, with {@code
 * "+local changes"} in {@code provenance.worktree} when the tree differs from it), the date ({@code date}, UTC) and,
 * under {@code provenance}, the machine (CPU model, cores, memory, Java, OS), the command and the load the caller
 * names; the result itself follows. docs/results/ holds such files, and the docs cite them.
 */
public final class ResultsFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultsFile() {}

    /**
     * The checkout's commit and whether its tracked files differ from it, taken when a measurement starts: a long run
     * records what it ran even if the checkout moves on before it ends.
     *
     * @param commit {@code git rev-parse HEAD}, or "unknown" outside a git checkout
     * @param worktree "clean", "+local changes" or "unknown"
     */
    public record Checkout(String commit, String worktree) {}

    /** The checkout under {@code -Dja-reranker.home} (else the working directory) now. */
    public static Checkout checkout() {
        Path home = Path.of(System.getProperty("ja-reranker.home", ".")).toAbsolutePath();
        return new Checkout(
                git(home, "rev-parse", "HEAD").orElse("unknown"),
                git(home, "status", "--porcelain", "--untracked-files=no")
                        .map(s -> s.isEmpty() ? "clean" : "+local changes")
                        .orElse("unknown"));
    }

    /**
     * Writes {@code result} to {@code file} (parent folders created) with the provenance fields first, the checkout
     * taken now.
     *
     * @param command what was run, as a person would type it
     * @param load what else ran on the machine, or null when nothing is known
     */
    public static void write(Path file, String command, String load, Object result) throws IOException {
        write(file, checkout(), command, load, result);
    }

    /** As {@link #write(Path, String, String, Object)}, recording {@code started}, the checkout the run started on. */
    public static void write(Path file, Checkout started, String command, String load, Object result)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("commit", started.commit());
        root.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        ObjectNode provenance = root.putObject("provenance");
        provenance.put("machine", machine());
        provenance.put("worktree", started.worktree());
        provenance.put("command", command);
        if (load != null) {
            provenance.put("load", load);
        }
        ObjectNode body = JSON.valueToTree(result);
        body.fieldNames().forEachRemaining(name -> {
            if (root.has(name)) {
                throw new IllegalArgumentException("a result field is named like a provenance field: " + name);
            }
        });
        root.setAll(body);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    /** A command as a person would type it: the program or command name and its arguments. */
    public static String command(String name, List<String> args) {
        return args.isEmpty() ? name : name + " " + String.join(" ", args);
    }

    /** CPU model, logical cores, physical memory, Java and OS of this machine, in one line. */
    public static String machine() {
        String cpu = System.getProperty("os.arch");
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: os.arch stays
        }
        long memory = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        return String.format(
                Locale.ROOT,
                "%s, %d logical cores, %s memory, Java %s, %s %s",
                cpu,
                Runtime.getRuntime().availableProcessors(),
                memory > 0 ? String.format(Locale.ROOT, "%.1f GiB", memory / (1024.0 * 1024 * 1024)) : "unknown",
                System.getProperty("java.version"),
                System.getProperty("os.name"),
                System.getProperty("os.version"));
    }

    private static Optional<String> git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(out);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
