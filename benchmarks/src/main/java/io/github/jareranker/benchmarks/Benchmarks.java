package io.github.jareranker.benchmarks;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The one entry of the benchmarks in this module, the main class of {@code benchmarks/target/benchmarks.jar}: {@code java -jar
 * benchmarks.jar NAME [OPTIONS]}, NAME one of the subcommands below, as {@code benchmarks/run.sh} runs them. The Solr
 * and pipeline benchmarks are {@code bin/ja-reranker} commands instead ({@code bench-solr}, {@code bench-pipeline},
 * {@code bench-cascade}, {@code soak}): they need Solr, which this module does not ship, while this module's peer
 * libraries (langchain4j) stay out of the CLI; docs/performance.md lists both.
 */
@Command(
        name = "benchmarks",
        mixinStandardHelpOptions = true,
        description = "Engine measurements against peers and this CPU's peak (docs/performance.md).",
        subcommands = {
            PeakBenchmark.class,
            LatencyBenchmark.class,
            LoadTimeBenchmark.class,
            StopLatencyBenchmark.class,
            ProfileBenchmark.class,
            PairedTiming.class,
            Charts.class,
            CommandLine.HelpCommand.class
        })
public final class Benchmarks implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing benchmark: one of " + String.join(", ", names()));
    }

    /** The benchmarks' names, help left out. */
    private List<String> names() {
        return spec.subcommands().keySet().stream()
                .filter(name -> !name.equals("help"))
                .toList();
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Benchmarks()).execute(args));
    }
}
