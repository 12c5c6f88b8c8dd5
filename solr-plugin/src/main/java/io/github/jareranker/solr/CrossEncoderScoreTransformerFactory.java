package io.github.jareranker.solr;

import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.response.transform.DocTransformer;
import org.apache.solr.response.transform.TransformerFactory;
import org.apache.solr.search.DocIterationInfo;

/**
 * {@code fl=id,score,originalScore(),[jarerank]}: adds the cross-encoder's score of each hit that
 * was reranked in this request (before {@code reRankWeight}/{@code reRankOperator}); hits past
 * {@code reRankDocs}, or all hits when reranking fell back to first-pass order, get no value.
 * Together with {@code score} (the returned, combined score) and {@code originalScore()} (the
 * first-pass score) this shows every number behind a hit. Register with {@code <transformer
 * name="jarerank" class="io.github.jareranker.solr.CrossEncoderScoreTransformerFactory"/>}.
 * Stateless and thread-safe.
 */
public final class CrossEncoderScoreTransformerFactory extends TransformerFactory {
  /** The name the example configset registers. */
  public static final String DEFAULT_NAME = "jarerank";

  @Override
  public DocTransformer create(String field, SolrParams params, SolrQueryRequest req) {
    return new ModelScoreTransformer(field, req);
  }

  private static final class ModelScoreTransformer extends DocTransformer {
    private final String name;
    private final SolrQueryRequest req;

    ModelScoreTransformer(String name, SolrQueryRequest req) {
      this.name = name;
      this.req = req;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public void transform(SolrDocument doc, int docid, DocIterationInfo info) {
      transformDoc(doc, docid);
    }

    /** Required by DocTransformer (abstract there although deprecated). */
    @Override
    @SuppressWarnings("deprecation")
    public void transform(SolrDocument doc, int docid) {
      transformDoc(doc, docid);
    }

    private void transformDoc(SolrDocument doc, int docid) {
      Object t = req.getContext().get(RerankTrace.CONTEXT_KEY);
      if (t instanceof RerankTrace) {
        ((RerankTrace) t).modelScore(docid).ifPresent(s -> doc.setField(name, s));
      }
    }
  }
}
