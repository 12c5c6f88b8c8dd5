package io.github.jareranker.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * CPU time of this process's threads, by thread group, from Linux's {@code /proc/self/task/<tid>/stat}
 * (user + system time): how a benchmark's cores were shared between the inference workers, Solr's
 * request threads, the garbage collector, the JIT and the load clients. Threads are grouped by their
 * OS name with runs of digits folded ({@code qtp1234-56} and {@code qtp1234-57} are {@code qtpN-N});
 * Linux keeps the first 15 characters of a Java thread's name. Times are in clock ticks of 1/100 s
 * ({@code USER_HZ}, 100 on Linux), so a window should last seconds. Immutable snapshots; on systems
 * without {@code /proc} there are none ({@link #snapshot()} is empty).
 */
final class ThreadCpu {
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final double TICK_SECONDS = 0.01;

    /** Thread id to (group, CPU ticks) at one instant. */
    private final Map<String, Map.Entry<String, Long>> threads;

    private ThreadCpu(Map<String, Map.Entry<String, Long>> threads) {
        this.threads = threads;
    }

    /** This process's threads now, or empty where {@code /proc/self/task} cannot be read. */
    static Optional<ThreadCpu> snapshot() {
        if (!Files.isDirectory(TASKS)) {
            return Optional.empty();
        }
        Map<String, Map.Entry<String, Long>> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                } catch (IOException gone) {
                    continue; // the thread ended between listing and reading
                }
                parse(stat).ifPresent(e -> threads.put(task.getFileName().toString(), e));
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(new ThreadCpu(threads));
    }

    /**
     * (group, utime + stime) of one {@code stat} line: {@code pid (comm) state ppid ...}, where comm may
     * hold spaces and parentheses, utime and stime are fields 14 and 15.
     */
    static Optional<Map.Entry<String, Long>> parse(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            return Optional.empty();
        }
        String[] rest = stat.substring(close + 2).trim().split(" ");
        if (rest.length < 13) {
            return Optional.empty();
        }
        // rest[0] is field 3 (state): utime is field 14, stime field 15
        long ticks = Long.parseLong(rest[11]) + Long.parseLong(rest[12]);
        return Optional.of(Map.entry(group(stat.substring(open + 1, close)), ticks));
    }

    /** The thread's group: its name with every run of digits folded to {@code N}. */
    static String group(String name) {
        return name.replaceAll("[0-9]+", "N");
    }

    /**
     * CPU seconds per group spent between {@code before} and this snapshot, largest first. Threads that
     * started in between count from zero; threads that ended in between are not seen (take the later
     * snapshot before stopping a pool).
     */
    Map<String, Double> secondsSince(ThreadCpu before) {
        Map<String, Double> byGroup = new TreeMap<>();
        threads.forEach((tid, now) -> {
            Map.Entry<String, Long> then = before.threads.get(tid);
            long start = then != null && then.getKey().equals(now.getKey()) ? then.getValue() : 0L;
            byGroup.merge(now.getKey(), (now.getValue() - start) * TICK_SECONDS, Double::sum);
        });
        Map<String, Double> sorted = new LinkedHashMap<>();
        byGroup.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
