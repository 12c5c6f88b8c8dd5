package io.github.jareranker.solr;

import io.github.jareranker.encoder.Cancellation;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.ScoringCancelledException;
import io.github.jareranker.encoder.ScoringException;
import io.github.jareranker.lucene.CombineOperator;
import io.github.jareranker.lucene.CrossEncoderRescorer;
import io.github.jareranker.lucene.RescorerOptions;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Rescorer;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.solr.common.SolrException;
import org.apache.solr.request.SolrRequestInfo;
import org.apache.solr.response.SolrQueryResponse;
import org.apache.solr.search.IncompleteRerankingException;
import org.apache.solr.search.QueryLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Solr side of the rescoring: runs {@link CrossEncoderRescorer} for the model score, combines it
 * with the first-pass score ({@code reRankOperator}, {@code reRankWeight}), and maps failures onto
 * Solr's contract:
 *
 * <ul>
 *   <li>Solr's {@code timeAllowed}/{@code cpuAllowed} limits trip: {@link QueryLimits} marks the
 *       response {@code partialResults} (or fails the request when partial results are disallowed)
 *       and {@link IncompleteRerankingException} makes Solr's {@code ReRankCollector} return the
 *       first-pass order;
 *   <li>the model's own {@code timeoutMs} passes, or scoring fails: with {@code failOpen=true} the
 *       same first-pass fallback with {@code partialResults=true} and a {@code partialResultsDetails}
 *       line; with {@code failOpen=false} a {@link FailFastException} (HTTP 503 for a timeout, 500
 *       for a model error).
 * </ul>
 *
 * <p>One instance per parsed rank query (one request); it does not own the encoder. Thread-safe.
 */
final class SolrRerankRescorer extends Rescorer {
  private static final Logger log = LoggerFactory.getLogger(SolrRerankRescorer.class);

  private final String modelName;
  private final CrossEncoder encoder;
  private final ModelSpec spec;
  private final String queryText;
  private final List<String> fields;
  private final CombineOperator operator;
  private final float weight;
  private final RerankMetrics metrics;
  private final RerankTrace trace;
  private final RescorerOptions modelOnly;
  private volatile CrossEncoderRescorer lastDelegate;

  SolrRerankRescorer(
      String modelName,
      CrossEncoder encoder,
      ModelSpec spec,
      String queryText,
      List<String> fields,
      CombineOperator operator,
      float weight,
      RerankMetrics metrics,
      RerankTrace trace) {
    this.modelName = modelName;
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.spec = spec;
    this.queryText = queryText;
    this.fields = List.copyOf(fields);
    this.operator = operator;
    this.weight = weight;
    this.metrics = metrics;
    this.trace = trace;
    // The delegate yields pure model scores; the combination with the first pass happens here so that
    // the model score of every hit stays known (explain, [jarerank]).
    this.modelOnly =
        RescorerOptions.builder().fields(fields).operator(CombineOperator.REPLACE).weight(1f).build();
  }

  RerankTrace trace() {
    return trace;
  }

  @Override
  public TopDocs rescore(IndexSearcher searcher, TopDocs firstPass, int topN) throws IOException {
    metrics.request();
    QueryLimits limits = QueryLimits.getCurrentLimits();
    boolean solrLimits = limits.isLimitsEnabled();
    long deadline = spec.timeoutMs() > 0 ? System.nanoTime() + spec.timeoutMs() * 1_000_000L : 0L;
    Cancellation cancellation =
        () -> (deadline != 0L && System.nanoTime() - deadline > 0) || (solrLimits && limits.shouldExit());
    CrossEncoderRescorer delegate =
        new CrossEncoderRescorer(encoder, queryText, modelOnly, cancellation, metrics::scored);
    lastDelegate = delegate;
    TopDocs byModel;
    try {
      byModel = delegate.rescore(searcher, firstPass, firstPass.scoreDocs.length);
    } catch (ScoringCancelledException e) {
      if (solrLimits && limits.shouldExit()) {
        // Solr's own time/CPU limit: Solr decides between partial results and an error.
        trace.fellBack("Solr query limit reached during reranking");
        metrics.fallback(true);
        limits.maybeExitWithPartialResults("jarerank reranking with model '" + modelName + "'");
        throw new IncompleteRerankingException();
      }
      String msg = "jarerank model '" + modelName + "' exceeded timeoutMs=" + spec.timeoutMs()
          + " while scoring " + firstPass.scoreDocs.length + " hits";
      return fail(msg, true, e);
    } catch (ScoringException | IllegalStateException e) {
      String msg = "jarerank model '" + modelName + "' failed: " + e.getMessage();
      return fail(msg, false, e);
    }

    ScoreDoc[] hits = firstPass.scoreDocs;
    Map<Integer, Integer> rankOf = new HashMap<>(hits.length * 2);
    for (int i = 0; i < hits.length; i++) {
      rankOf.putIfAbsent(hits[i].doc, i);
    }
    Map<Integer, Float> modelScores = new HashMap<>(hits.length * 2);
    Ranked[] ranked = new Ranked[byModel.scoreDocs.length];
    for (int k = 0; k < ranked.length; k++) {
      ScoreDoc m = byModel.scoreDocs[k];
      int rank = rankOf.get(m.doc);
      ScoreDoc original = hits[rank];
      float combined = operator.combine(original.score, m.score, weight);
      ranked[k] = new Ranked(new ScoreDoc(original.doc, combined, original.shardIndex), rank);
      modelScores.put(m.doc, m.score);
    }
    Arrays.sort(ranked, Ranked.ORDER);
    ScoreDoc[] top = new ScoreDoc[Math.min(Math.max(topN, 0), ranked.length)];
    for (int i = 0; i < top.length; i++) {
      top[i] = ranked[i].doc;
    }
    trace.rescored(modelScores);
    return new TopDocs(firstPass.totalHits, top);
  }

  private TopDocs fail(String message, boolean timeout, RuntimeException cause) {
    if (!spec.failOpen()) {
      metrics.failure(timeout);
      throw new FailFastException(
          timeout ? SolrException.ErrorCode.SERVICE_UNAVAILABLE : SolrException.ErrorCode.SERVER_ERROR,
          message + " (failOpen=false in solrconfig.xml, so the request fails)",
          cause);
    }
    metrics.fallback(timeout);
    if (timeout) {
      log.warn("{}; returning first-pass order", message);
    } else {
      log.warn("{}; returning first-pass order", message, cause);
    }
    trace.fellBack(message);
    SolrRequestInfo info = SolrRequestInfo.getRequestInfo();
    if (info != null && info.getRsp() != null) {
      SolrQueryResponse rsp = info.getRsp();
      if (rsp.getResponseHeader() != null) {
        rsp.setPartialResults(info.getReq());
        rsp.addPartialResponseDetail(message + "; results are in first-pass order");
      }
    }
    throw new IncompleteRerankingException();
  }

  @Override
  public Explanation explain(IndexSearcher searcher, Explanation firstPassExplanation, int docID)
      throws IOException {
    float firstPass = firstPassExplanation.getValue().floatValue();
    Explanation first = Explanation.match(firstPass, "first pass score", firstPassExplanation);
    if (trace.hasRun() && trace.fallbackReason().isPresent()) {
      return Explanation.match(
          firstPass,
          "jarerank: not reranked, first-pass order returned (" + trace.fallbackReason().get() + ")",
          first);
    }
    if (trace.hasRun() && trace.modelScore(docID).isEmpty()) {
      TailScores tail = trace.tail().orElse(TailScores.global());
      return Explanation.match(
          tail.score(firstPass),
          "jarerank: not reranked (outside the first pass top reRankDocs); kept in first-pass order below"
              + " every reranked hit, score = " + tail.describe(),
          first);
    }
    CrossEncoderRescorer delegate = lastDelegate;
    if (delegate == null) {
      delegate = new CrossEncoderRescorer(encoder, queryText, modelOnly);
    }
    Explanation modelExplanation = delegate.explain(searcher, firstPassExplanation, docID);
    float model = modelExplanation.getValue().floatValue();
    Explanation second =
        modelExplanation.getDetails().length > 1
            ? modelExplanation.getDetails()[1]
            : Explanation.match(model, "second pass score (model '" + modelName + "')");
    String where = trace.hasRun() ? "" : " (scored for explain; the hit list came from the cache)";
    return Explanation.match(
        operator.combine(firstPass, model, weight),
        "jarerank: model '" + modelName + "' over " + String.join(" + ", fields)
            + ", combined first and second pass score using " + operator.formula(weight) + where,
        first,
        second);
  }

  /** A failure the operator asked to surface (failOpen=false); carries its own HTTP status. */
  static final class FailFastException extends SolrException {
    private static final long serialVersionUID = 1L;

    FailFastException(ErrorCode code, String message, Throwable cause) {
      super(code, message, cause);
    }
  }

  private static final class Ranked {
    /** Combined score descending (NaN last), then first-pass rank. */
    static final java.util.Comparator<Ranked> ORDER =
        (a, b) -> {
          float sa = Float.isNaN(a.doc.score) ? Float.NEGATIVE_INFINITY : a.doc.score;
          float sb = Float.isNaN(b.doc.score) ? Float.NEGATIVE_INFINITY : b.doc.score;
          int c = Float.compare(sb, sa);
          return c != 0 ? c : Integer.compare(a.rank, b.rank);
        };

    final ScoreDoc doc;
    final int rank;

    Ranked(ScoreDoc doc, int rank) {
      this.doc = doc;
      this.rank = rank;
    }
  }
}
