package io.github.jareranker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/ja-reranker}: the command-line entry point. Each subcommand is its own class. */
@Command(
        name = "ja-reranker",
        mixinStandardHelpOptions = true,
        version = "ja-reranker 0.1.0-SNAPSHOT",
        description = "Japanese cross-encoder reranking for Lucene and Solr.",
        subcommands = {
            ScoreCommand.class,
            DemoCommand.class,
            EvalCommand.class,
            OptimizeModelCommand.class,
            BenchSolrCommand.class,
            SoakCommand.class,
            PipelineBenchCommand.class,
            CascadeBenchCommand.class,
            BenchAbCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'score', 'demo' or 'eval'");
    }

    /** The configured command line; set its out/err writers to capture output. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler(Main::handleFailure);
    }

    /** Runs the command line and returns its exit code (0 ok, 1 failure, 2 usage error). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** Failures print one line to stderr, not a stack trace; the exit code is 1. */
    private static int handleFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        cmd.getErr().println("ja-reranker " + cmd.getCommandName() + ": " + e.getMessage());
        if (Boolean.getBoolean("ja-reranker.debug")) {
            e.printStackTrace(cmd.getErr());
        }
        return 1;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
