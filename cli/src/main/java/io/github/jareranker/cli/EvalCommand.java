package io.github.jareranker.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.evaluation.Evaluation;
import io.github.jareranker.evaluation.Evaluator;
import io.github.jareranker.evaluation.Metric;
import io.github.jareranker.evaluation.Qrels;
import io.github.jareranker.evaluation.Run;
import io.github.jareranker.evaluation.TieBreak;
import io.github.jareranker.evaluation.io.QrelsReader;
import io.github.jareranker.evaluation.io.RunReader;
import io.github.jareranker.evaluation.io.RunWriter;
import io.github.jareranker.evaluation.report.ProgressBar;
import io.github.jareranker.evaluation.report.ResultTable;
import io.github.jareranker.evaluation.rerank.CandidateDataset;
import io.github.jareranker.evaluation.rerank.CandidateReranker;
import io.github.jareranker.evaluation.rerank.ModelNotes;
import io.github.jareranker.evaluation.solr.QuerySet;
import io.github.jareranker.evaluation.solr.SolrSearchClient;
import io.github.jareranker.evaluation.solr.SolrRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code eval}: ranking-quality evaluation with ranx-compatible metrics.
 *
 * <ul>
 *   <li>{@code eval --qrels FILE --run FILE [--run FILE ...]}: scores run files (TREC, ranx .lz4,
 *       ranx .json) against TREC qrels;
 *   <li>{@code eval rerank}: scores a candidate-list JSONL dataset with a model and evaluates it
 *       against its first-stage order;
 *   <li>{@code eval solr}: runs a query set against Solr with and without reranking;
 *   <li>{@code eval jsquad}: the JSQuAD retrieval benchmark ({@link JsquadCommand}).
 * </ul>
 *
 * Tables go to stdout for people; {@code --json} prints one JSON object instead; a progress bar
 * with ETA goes to stderr on a terminal (or with {@code --progress}).
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate rankings with ranx-compatible metrics (nDCG@k, MRR@k, MAP@k, Recall@k, Precision@k).",
      "Without a subcommand: score run files against qrels.",
      "  ja-reranker eval --qrels qrels.trec --run bm25.lz4 --metrics ndcg@10,mrr@10 --json"
    },
    subcommands = {EvalCommand.RerankCommand.class, EvalCommand.SolrCommand.class, JsquadCommand.class})
public final class EvalCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--qrels", paramLabel = "FILE", description = "Relevance judgments: TREC qrels (qid 0 docid rel) or ranx .json.")
  Path qrels;

  @Option(names = "--run", paramLabel = "FILE", description = "A run: TREC run, ranx .lz4 or ranx .json. Repeat to compare runs (the first is the baseline).")
  List<Path> runs = new ArrayList<>();

  @Mixin Output output;

  @Override
  public Integer call() throws IOException {
    if (qrels == null || runs.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "give --qrels and at least one --run, or a subcommand (rerank, solr, jsquad); see --help");
    }
    List<Metric> metrics = output.metrics();
    Qrels q = QrelsReader.read(qrels);
    Evaluator evaluator = new Evaluator(output.tieBreak);
    List<Evaluation> evaluations = new ArrayList<>();
    for (Path r : runs) {
      evaluations.add(evaluator.evaluate(q, RunReader.read(r), metrics));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json) {
      out.println(ResultTable.toJson(evaluations.size() == 1 ? ResultTable.meansJson(evaluations.get(0)) : ResultTable.runsJson(evaluations, true)));
    } else {
      out.print(ResultTable.table(evaluations, evaluations.size() > 1));
      out.println(summary(evaluations.get(0), output.tieBreak));
    }
    warnCoverage(spec.commandLine().getErr(), evaluations);
    out.flush();
    return 0;
  }

  /** Options every evaluation mode shares (a picocli mixin). */
  public static final class Output {
    @Option(names = "--metrics", paramLabel = "LIST", description = "Comma-separated ranx metric names (default: ${DEFAULT-VALUE}).")
    String metrics = "ndcg@10,mrr@10";

    @Option(names = "--json", description = "Print one JSON object (metric names as given, full precision) instead of a table.")
    boolean json;

    @Option(names = "--tie-break", paramLabel = "MODE", converter = TieBreakConverter.class,
        description = "Order of equal scores: ranx (default: exactly as ranx/Numba sorts), input (file order) or docid.")
    TieBreak tieBreak = TieBreak.RANX;

    @Option(names = "--progress", negatable = true, description = "Show a progress bar with ETA on stderr (default: only when attached to a terminal).")
    Boolean progress;

    List<Metric> metrics() {
      return Metric.parseList(metrics);
    }

    BiFunction<String, Long, ProgressBar> progressBars() {
      boolean on = progress != null ? progress : System.console() != null;
      return on ? (label, total) -> ProgressBar.on(System.err, label, total) : (label, total) -> ProgressBar.disabled();
    }
  }

  static final class TieBreakConverter implements CommandLine.ITypeConverter<TieBreak> {
    @Override
    public TieBreak convert(String value) {
      return TieBreak.parse(value);
    }
  }

  static String summary(Evaluation e, TieBreak tieBreak) {
    return e.queryIds().size() + " queries (from the qrels), tie-break: " + tieBreak.name().toLowerCase(java.util.Locale.ROOT);
  }

  static void warnCoverage(PrintWriter err, List<Evaluation> evaluations) {
    for (Evaluation e : evaluations) {
      if (!e.missingFromRun().isEmpty()) {
        err.println("warning: run " + e.runName() + " has no results for " + e.missingFromRun().size() + " qrels queries (scored 0), e.g. " + e.missingFromRun().get(0));
      }
      if (e.ignoredRunQueries() > 0) {
        err.println("warning: run " + e.runName() + " has " + e.ignoredRunQueries() + " queries without judgments (not evaluated)");
      }
    }
    err.flush();
  }

  static void print(PrintWriter out, Output output, List<Evaluation> evaluations, List<String> notes, TieBreak tieBreak) {
    if (output.json) {
      ObjectNode json = ResultTable.runsJson(evaluations, true);
      if (!notes.isEmpty()) {
        json.putArray("notes").addAll(notes.stream().map(com.fasterxml.jackson.databind.node.TextNode::valueOf).toList());
      }
      out.println(ResultTable.toJson(json));
    } else {
      out.print(ResultTable.table(evaluations, true));
      out.println(summary(evaluations.get(0), tieBreak));
      for (String n : notes) {
        out.println(n);
      }
    }
    out.flush();
  }

  /** {@code eval rerank}: score a candidate-list dataset with a model. */
  @Command(
      name = "rerank",
      mixinStandardHelpOptions = true,
      description = "Score a candidate-list dataset with a cross-encoder, write a TREC run and print the metrics of the first-stage order and the reranked order side by side, with per-query wins/ties/losses. Dataset: JSONL, one {\"qid\", \"query\", \"candidates\": [{\"id\", \"title\"?, \"text\", \"relevance\"?, \"score\"?}]} per line.")
  static final class RerankCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", required = true, paramLabel = "FILE.jsonl", description = "Candidate lists (see above).")
    Path dataset;

    @Option(names = "--qrels", paramLabel = "FILE", description = "Judgments (default: the candidates' inline \"relevance\").")
    Path qrels;

    @Option(names = "--run-out", paramLabel = "FILE", description = "Write the reranked run here (TREC format).")
    Path runOut;

    @Option(names = "--score", paramLabel = "KIND", description = "Run score: logit (default) or score (after the activation).")
    String score = "logit";

    @Option(names = "--without-title", description = "Score the text alone instead of title + \" \" + text.")
    boolean withoutTitle;

    @Mixin ModelOptions modelOptions;

    @Mixin Output output;

    @Override
    public Integer call() throws IOException {
      List<Metric> metrics = output.metrics();
      CandidateReranker.ScoreKind kind;
      switch (score) {
        case "logit":
          kind = CandidateReranker.ScoreKind.LOGIT;
          break;
        case "score":
          kind = CandidateReranker.ScoreKind.SCORE;
          break;
        default:
          throw new ParameterException(spec.commandLine(), "--score must be logit or score, not '" + score + "'");
      }
      CandidateDataset data = CandidateDataset.read(dataset);
      Qrels q;
      if (qrels != null) {
        q = QrelsReader.read(qrels);
      } else if (data.hasInlineJudgments()) {
        q = data.inlineQrels();
      } else {
        throw new ParameterException(spec.commandLine(), dataset + " has no inline \"relevance\" judgments: give --qrels");
      }
      Run first = data.firstStageRun("first-stage");
      String modelName = modelOptions.model.toAbsolutePath().normalize().getFileName().toString();
      Run reranked;
      try (CrossEncoder encoder = CrossEncoder.load(modelOptions.toOptions());
          ProgressBar bar = output.progressBars().apply("rerank", (long) data.queries().size())) {
        reranked = new CandidateReranker(encoder, !withoutTitle, kind).rerank(data, modelName, bar);
      }
      if (runOut != null) {
        RunWriter.writeTrec(reranked, runOut, output.tieBreak);
      }
      Evaluator evaluator = new Evaluator(output.tieBreak);
      List<Evaluation> evaluations = List.of(evaluator.evaluate(q, first, metrics), evaluator.evaluate(q, reranked, metrics));
      List<String> notes = new ArrayList<>();
      if (ModelNotes.isRandomWeights(modelOptions.model)) {
        notes.add(ModelNotes.RANDOM_WEIGHTS_CAVEAT);
      }
      if (runOut != null) {
        notes.add("reranked run written to " + runOut);
      }
      print(spec.commandLine().getOut(), output, evaluations, notes, output.tieBreak);
      return 0;
    }
  }

  /** How to search a Solr core (a picocli mixin; the core URL is each command's own option). */
  static final class SolrOptions {
    @Option(names = "--handler", paramLabel = "PATH", description = "Request handler (default: ${DEFAULT-VALUE}).")
    String handler = "/select";

    @Option(names = "--id-field", paramLabel = "FIELD", description = "Unique-key field (default: ${DEFAULT-VALUE}).")
    String idField = "id";

    @Option(names = {"-k", "--top-k"}, paramLabel = "K", description = "Hits collected per query (rows; default: ${DEFAULT-VALUE}).")
    int k = 100;

    @Option(names = "--rerank-docs", paramLabel = "N",
        description = "reRankDocs of the reranked run: how many first-pass hits the model rescores (default: K).")
    Integer reRankDocs;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "Search parameter for both runs (repeatable), e.g. --param defType=edismax --param qf=title^2 text.")
    List<String> params = new ArrayList<>();

    @Option(names = "--rerank-param", paramLabel = "KEY=VALUE",
        description = "Extra parameter of the reranked run (repeatable; default: rq={!jarerank reRankDocs=N reRankText=$rqtext}, where rqtext is the unescaped query text sent with every request).")
    List<String> rerankParams = new ArrayList<>();

    @Option(names = "--no-rerank", description = "Run BM25 only.")
    boolean noRerank;

    @Option(names = "--no-escape", description = "Send query text as query syntax instead of escaping special characters.")
    boolean noEscape;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Per-request timeout (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 60;

    SolrSearchClient client(URI url) {
      return new SolrSearchClient(url, Duration.ofSeconds(timeoutSeconds));
    }

    /** reRankDocs: --rerank-docs, else k. */
    int reRankDocs() {
      return reRankDocs != null ? reRankDocs : k;
    }

    /** Checks k, --rerank-docs and that every metric's cutoff fits in the top k collected. */
    void validate(CommandLine cl, List<Metric> metrics) {
      if (k < 1) {
        throw new ParameterException(cl, "-k must be >= 1, got " + k);
      }
      if (reRankDocs != null && reRankDocs < 1) {
        throw new ParameterException(cl, "--rerank-docs must be >= 1, got " + reRankDocs);
      }
      for (Metric m : metrics) {
        if (m.k() > k) {
          throw new ParameterException(cl, "-k " + k + " collects only the top " + k + " per query, but " + m.label()
              + " needs the top " + m.k() + ": pass -k " + m.k() + " or more");
        }
      }
    }

    List<Map.Entry<String, String>> baseParams() {
      return parse(params);
    }

    List<Map.Entry<String, String>> rerankParams() {
      if (noRerank) {
        return List.of();
      }
      // reRankText: the model must read the question, not q with its query-syntax escapes.
      return rerankParams.isEmpty()
          ? List.of(Map.entry("rq", "{!jarerank reRankDocs=" + reRankDocs() + " reRankText=$" + SolrRunner.TEXT_PARAM + "}"))
          : parse(rerankParams);
    }

    /** The reranked run's parameters as text, e.g. {@code rq={!jarerank reRankDocs=100}}. */
    String describeRerank() {
      return String.join(" ", rerankParams().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    private static List<Map.Entry<String, String>> parse(List<String> list) {
      List<Map.Entry<String, String>> out = new ArrayList<>();
      for (String p : list) {
        out.add(SolrRunner.parseParam(p));
      }
      return out;
    }
  }

  static final String SOLR_MODEL_CAVEAT =
      "NOTE: the reranked (rq) figures come from whatever model the Solr core configures; with the"
          + " committed random-weight test model they are meaningless and only prove the pipeline runs.";

  /**
   * Prints, for {@code metric}, every query whose score differs between {@code base} and {@code
   * other}: qid, both scores and the change, losses first (largest first), then wins.
   */
  static void printPerQuery(PrintWriter out, Evaluation base, Evaluation other, Metric metric) {
    double[] a = base.scores(metric);
    double[] b = other.scores(other.metric(metric.label()));
    List<Integer> changed = new ArrayList<>();
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        changed.add(i);
      }
    }
    changed.sort((x, y) -> Double.compare(b[x] - a[x], b[y] - a[y]));
    out.println();
    out.println("per query, " + metric.label() + ", " + other.runName() + " vs " + base.runName() + ": "
        + changed.size() + " changed, " + (a.length - changed.size()) + " unchanged (losses first)");
    int w = "qid".length();
    for (int i : changed) {
      w = Math.max(w, base.queryIds().get(i).length());
    }
    out.println(String.format(java.util.Locale.ROOT, "%-" + w + "s  %8s  %8s  %8s", "qid", base.runName().length() > 8 ? "base" : base.runName(), "reranked", "Δ"));
    for (int i : changed) {
      out.println(String.format(java.util.Locale.ROOT, "%-" + w + "s  %8.4f  %8.4f  %+8.4f", base.queryIds().get(i), a[i], b[i], b[i] - a[i]));
    }
    out.flush();
  }

  /** {@code eval solr}: BM25 vs BM25 + rq on a Solr core. */
  @Command(
      name = "solr",
      mixinStandardHelpOptions = true,
      description = "Run a query set against a Solr core with and without reranking (rq), collect the top k and print the metrics side by side with per-query wins/ties/losses. Queries: TSV (qid<TAB>text) or JSONL ({\"qid\", \"query\"}).")
  static final class SolrCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--solr", required = true, paramLabel = "URL", description = "Core or collection URL, e.g. http://localhost:8983/solr/site.")
    URI url;

    @Option(names = "--queries", required = true, paramLabel = "FILE", description = "The query set.")
    Path queries;

    @Option(names = "--qrels", required = true, paramLabel = "FILE", description = "Judgments (TREC qrels or ranx .json).")
    Path qrels;

    @Option(names = "--run-out", paramLabel = "DIR", description = "Write each run as DIR/<name>.trec.")
    Path runOut;

    @Option(names = "--per-query", description = "Also list every query whose first metric changed with reranking (losses first).")
    boolean perQuery;

    @Mixin SolrOptions solr;

    @Mixin Output output;

    @Override
    public Integer call() throws IOException {
      List<Metric> metrics = output.metrics();
      solr.validate(spec.commandLine(), metrics);
      QuerySet qs = QuerySet.read(queries);
      Qrels q = QrelsReader.read(qrels);
      SolrRunner runner = new SolrRunner(solr.client(url), solr.handler, solr.idField, solr.k, !solr.noEscape);
      BiFunction<String, Long, ProgressBar> bars = output.progressBars();
      List<Run> runs = new ArrayList<>();
      try (ProgressBar bar = bars.apply("bm25", (long) qs.queries().size())) {
        runs.add(runner.run(qs, solr.baseParams(), "bm25", bar));
      }
      List<Map.Entry<String, String>> rr = solr.rerankParams();
      if (!rr.isEmpty()) {
        List<Map.Entry<String, String>> p = new ArrayList<>(solr.baseParams());
        p.addAll(rr);
        try (ProgressBar bar = bars.apply("bm25+rq", (long) qs.queries().size())) {
          runs.add(runner.run(qs, p, "bm25+rq", bar));
        }
      }
      // Run scores are rank-derived, so the evaluated order is Solr's order.
      Evaluator evaluator = new Evaluator(TieBreak.INPUT_ORDER);
      List<Evaluation> evaluations = new ArrayList<>();
      for (Run r : runs) {
        evaluations.add(evaluator.evaluate(q, r, metrics));
        if (runOut != null) {
          RunWriter.writeTrec(r, runOut.resolve(r.name().replace('+', '_') + ".trec"), TieBreak.INPUT_ORDER);
        }
      }
      List<String> notes = new ArrayList<>();
      notes.add("top " + solr.k + " per query from " + url + solr.handler + (rr.isEmpty() ? "" : "; reranked run: " + solr.describeRerank()));
      if (!rr.isEmpty()) {
        notes.add(SOLR_MODEL_CAVEAT);
      }
      PrintWriter out = spec.commandLine().getOut();
      print(out, output, evaluations, notes, TieBreak.INPUT_ORDER);
      if (perQuery && !output.json && evaluations.size() > 1) {
        printPerQuery(out, evaluations.get(0), evaluations.get(1), metrics.get(0));
      }
      warnCoverage(spec.commandLine().getErr(), evaluations);
      return 0;
    }
  }
}
