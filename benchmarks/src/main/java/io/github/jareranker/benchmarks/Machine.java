package io.github.jareranker.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the benchmark ran on, for the report. */
final class Machine {
    private Machine() {}

    /** The CPU model, cores, Java and architecture in one line: the machine line of every benchmark's report. */
    static String describe() {
        return String.format(
                Locale.ROOT,
                "%s, %d cores, Java %s, %s",
                cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                System.getProperty("os.arch"));
    }

    /** The CPU model name and family/model numbers from /proc/cpuinfo, or os.arch elsewhere. */
    static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String name = value(lines, "model name");
            return name + " (family " + value(lines, "cpu family") + ", model " + value(lines, "model") + ")";
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }

    private static String value(List<String> lines, String key) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "?";
    }
}
