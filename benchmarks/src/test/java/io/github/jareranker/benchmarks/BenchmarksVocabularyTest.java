package io.github.jareranker.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The benchmark mains in one place with one vocabulary: every picocli command of this package is a subcommand of
 * {@link Benchmarks} (the jar's entry), and every {@code --model}, {@code --onnx-file} and {@code --max-length} among
 * them comes from the one mixin that declares it, with the names and defaults benchmarks/run.sh relies on.
 */
class BenchmarksVocabularyTest {
    /** Each shared option and the mixin that alone may declare it. */
    private static final Map<String, Class<?>> OWNERS = Map.of(
            "--model", ModelFilesOption.class,
            "--onnx-file", ModelFilesOption.class,
            "--max-length", MaxLengthOption.class);

    @Test
    void everyCommandOfThePackageIsABenchmarksSubcommand() throws Exception {
        Set<Class<?>> registered = subcommands().values().stream()
                .map(c -> c.getCommandSpec().userObject().getClass())
                .collect(Collectors.toSet());
        Path dir = Path.of(Benchmarks.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .resolve(Benchmarks.class.getPackageName().replace('.', '/'));
        List<Class<?>> commands = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".class") && !name.contains("$")) {
                    Class<?> c = Class.forName(
                            Benchmarks.class.getPackageName() + "." + name.substring(0, name.length() - 6));
                    if (c.isAnnotationPresent(Command.class) && c != Benchmarks.class) {
                        commands.add(c);
                    }
                }
            }
        }
        assertThat(commands).contains(LatencyBenchmark.class, Charts.class);
        assertThat(registered).containsAll(commands);
    }

    @Test
    void theModelAndMaxLengthOptionsComeFromTheirMixins() {
        Map<String, List<String>> users = new TreeMap<>();
        subcommands().forEach((name, command) -> {
            for (OptionSpec option : command.getCommandSpec().options()) {
                Class<?> owner = OWNERS.get(option.longestName());
                if (owner != null) {
                    assertThat(declaringClass(option))
                            .as(name + " " + option.longestName())
                            .isEqualTo(owner);
                    users.computeIfAbsent(option.longestName(), k -> new ArrayList<>())
                            .add(name);
                }
            }
        });
        // the mains this vocabulary was made for: a main that drops a mixin shows here
        assertThat(users.get("--model")).containsExactlyInAnyOrder("latency", "load-time", "profile", "stop-latency");
        assertThat(users.get("--onnx-file")).isEqualTo(users.get("--model"));
        assertThat(users.get("--max-length")).containsExactlyInAnyOrder("latency", "profile");
    }

    @Test
    void theModelIsRequiredAndTheMaxLengthDefaultsTo512() {
        for (String name : List.of("latency", "load-time", "profile", "stop-latency")) {
            CommandLine command = subcommands().get(name);
            assertThat(command.getCommandSpec().findOption("--model").required())
                    .as(name)
                    .isTrue();
            assertThat(command.getCommandSpec().findOption("--onnx-file").required())
                    .as(name)
                    .isFalse();
        }
        String[] r = run("latency", "--help");
        assertThat(r[1].replaceAll("\\s+", " ")).contains("Maximum tokens per pair (default: 512)");
        assertThat(run("latency")[2]).contains("Missing required option: '--model=<model>'");
    }

    @Test
    void profileWithoutAnOnnxFileIsAUsageErrorNamingIt(@TempDir Path model) {
        String[] r = run("profile", "--model", model.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("2");
        assertThat(r[2]).contains("Missing required option: '--onnx-file=<onnxFile>'");
    }

    @Test
    void noBenchmarkIsAUsageErrorListingThem() {
        String[] r = run();
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2])
                .contains(
                        "missing benchmark: one of peak, latency, load-time, stop-latency, profile, paired-timing, charts");
    }

    /** Exit code, standard output and standard error of the entry with {@code args}. */
    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line =
                new CommandLine(new Benchmarks()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int code = line.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    /** Every benchmark by its subcommand name, help left out. */
    private static Map<String, CommandLine> subcommands() {
        Map<String, CommandLine> all = new TreeMap<>(new CommandLine(new Benchmarks()).getSubcommands());
        all.remove("help");
        return all;
    }

    private static Class<?> declaringClass(OptionSpec option) {
        Object member = option.userObject();
        if (member instanceof Field f) {
            return f.getDeclaringClass();
        }
        return member instanceof Member m ? m.getDeclaringClass() : null;
    }
}
