package io.github.jareranker.solr;

import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.lucene.CombineOperator;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocsCollector;
import org.apache.solr.search.AbstractReRankQuery;
import org.apache.solr.search.QueryCommand;
import org.apache.solr.search.RankQuery;

/**
 * The rank query behind {@code rq={!jarerank ...}}: Solr's {@link AbstractReRankQuery} (so {@code
 * ReRankCollector}, elevation, collapse, explain and {@code originalScore()} work as for Solr's own
 * {@code rerank}) with a cross-encoder rescorer and monotonic tail scores ({@link
 * MonotonicReRankCollector}).
 *
 * <p>{@link #equals}/{@link #hashCode} cover every parameter that changes the result (main query,
 * model name and its engine options, query text, reRankDocs, weight, operator, fields), because the
 * query is part of the queryResultCache key. Per-request state (the rescorer and its trace) is not
 * part of equality. Instances are confined to one request.
 */
public final class CrossEncoderRerankQuery extends AbstractReRankQuery {
  private static final Query DEFAULT_MAIN = new MatchAllDocsQuery();

  private final String modelName;
  private final CrossEncoderOptions modelOptions;
  private final String queryText;
  private final float weight;
  private final CombineOperator operator;
  private final List<String> fields;
  private final TailScores.Mode tailMode;
  private final SolrRerankRescorer rescorer;
  private final boolean cacheable;

  CrossEncoderRerankQuery(
      String modelName,
      CrossEncoderOptions modelOptions,
      String queryText,
      int reRankDocs,
      float weight,
      CombineOperator operator,
      List<String> fields,
      TailScores.Mode tailMode,
      SolrRerankRescorer rescorer,
      boolean cacheable) {
    super(DEFAULT_MAIN, reRankDocs, rescorer);
    this.modelName = modelName;
    this.modelOptions = modelOptions;
    this.queryText = queryText;
    this.weight = weight;
    this.operator = operator;
    this.fields = List.copyOf(fields);
    this.tailMode = tailMode;
    this.rescorer = rescorer;
    this.cacheable = cacheable;
  }

  public String modelName() {
    return modelName;
  }

  public String queryText() {
    return queryText;
  }

  public int reRankDocs() {
    return reRankDocs;
  }

  public float weight() {
    return weight;
  }

  public CombineOperator operator() {
    return operator;
  }

  public List<String> fields() {
    return fields;
  }

  /** The first-pass query this rank query wraps. */
  public Query mainQuery() {
    return mainQuery;
  }

  @Override
  public TopDocsCollector<? extends ScoreDoc> getTopDocsCollector(
      int len, QueryCommand cmd, IndexSearcher searcher) throws IOException {
    TopDocsCollector<? extends ScoreDoc> solr = super.getTopDocsCollector(len, cmd, searcher);
    return new MonotonicReRankCollector(solr, reRankDocs, cmd.getSort() == null, tailMode, rescorer.trace());
  }

  @Override
  protected Query rewrite(Query rewrittenMainQuery) throws IOException {
    RankQuery copy =
        new CrossEncoderRerankQuery(
            modelName, modelOptions, queryText, reRankDocs, weight, operator, fields, tailMode, rescorer, cacheable);
    return copy.wrap(rewrittenMainQuery);
  }

  /**
   * False when the request asks for debug output or the {@code [jarerank]} transformer: both report
   * what this request's scoring computed, which a cached hit list would not have.
   */
  @Override
  public boolean getCache() {
    return cacheable && super.getCache();
  }

  @Override
  public boolean equals(Object other) {
    if (!sameClassAs(other)) {
      return false;
    }
    CrossEncoderRerankQuery o = (CrossEncoderRerankQuery) other;
    return mainQuery.equals(o.mainQuery)
        && modelName.equals(o.modelName)
        && modelOptions.equals(o.modelOptions)
        && queryText.equals(o.queryText)
        && reRankDocs == o.reRankDocs
        && Float.compare(weight, o.weight) == 0
        && operator == o.operator
        && fields.equals(o.fields);
  }

  @Override
  public int hashCode() {
    return 31 * classHash()
        + Objects.hash(mainQuery, modelName, modelOptions, queryText, reRankDocs, weight, operator, fields);
  }

  @Override
  public String toString(String field) {
    return "{!jarerank mainQuery='" + mainQuery + "' model=" + modelName + " reRankDocs=" + reRankDocs
        + " reRankWeight=" + weight + " reRankOperator=" + operator.name().toLowerCase(java.util.Locale.ROOT)
        + " reRankFields=" + String.join(",", fields) + " reRankText='" + queryText + "'}";
  }
}
