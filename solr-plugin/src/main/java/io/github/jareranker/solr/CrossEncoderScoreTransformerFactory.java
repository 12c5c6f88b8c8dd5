package io.github.jareranker.solr;

import io.github.jareranker.passage.ScoredPassage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.response.ResultContext;
import org.apache.solr.response.transform.DocTransformer;
import org.apache.solr.response.transform.TransformerFactory;
import org.apache.solr.search.DocIterationInfo;
import org.apache.solr.search.DocIterator;
import org.apache.solr.search.DocList;

/**
 * {@code fl=id,score,originalScore(),[jarerank]}: adds the cross-encoder's score of each hit that
 * was reranked in this request (before {@code reRankWeight}/{@code reRankOperator}); hits past
 * {@code reRankDocs}, or all hits when reranking fell back to first-pass order, get no value.
 * Together with {@code score} (the returned, combined score) and {@code originalScore()} (the
 * first-pass score) this shows every number behind a hit. Register with {@code <transformer
 * name="jarerank" class="io.github.jareranker.solr.CrossEncoderScoreTransformerFactory"/>} (any
 * name works: the transformer announces itself to the rank query through the request context, so
 * the request bypasses the queryResultCache). Where the request's search did not rerank here
 * (SolrCloud's second, fields-only shard request; or a transformer created after the search found
 * the hit list in the cache) the transformer has the rescorer replay the reranking for the page's
 * hits before it reports ({@link RerankReplay}). Stateless and thread-safe;
 * each transformer it creates belongs to one request.
 *
 * <p>With passage scoring ({@code rq={!jarerank passages=max ...}}) the transformer can report the
 * hit's best passage instead of its score, for a results page's snippet: {@code
 * snippet:[jarerank passage=text]} gives the passage's body text (without the title in front),
 * {@code passage=offsets} its {@code [start, end]} UTF-16 offsets into the text of the body fields
 * (the reranked fields after the first, values joined with a space; with one field, into that
 * field), {@code passage=index} its position among the hit's passages (from 0). Hits without a
 * passage (not reranked, or reranked without passages) get no value.
 */
public final class CrossEncoderScoreTransformerFactory extends TransformerFactory {
    @Override
    public DocTransformer create(String field, SolrParams params, SolrQueryRequest req) {
        // Announce ourselves (as Solr LTR's feature logger does): the rank query then bypasses the
        // queryResultCache so this request's scoring runs and its scores are there to report.
        RerankTrace.of(req).wantModelScores();
        return new ModelScoreTransformer(field, req, PassageField.parse(params));
    }

    /** What {@code passage=} asks the transformer to report instead of the model score. */
    enum PassageField {
        TEXT,
        OFFSETS,
        INDEX;

        static final String PARAM = "passage";

        /** Null when the request does not ask for a passage. */
        static PassageField parse(SolrParams params) {
            String v = params == null ? null : params.get(PARAM);
            if (v == null) {
                return null;
            }
            try {
                return valueOf(v.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new SolrException(
                        SolrException.ErrorCode.BAD_REQUEST,
                        "jarerank: [jarerank " + PARAM + "=...] must be text, offsets or index, got '" + v + "'");
            }
        }

        Object value(ScoredPassage best, String body) {
            return switch (this) {
                case TEXT -> best.passage().span().of(body);
                case OFFSETS ->
                    List.of(best.passage().span().start(), best.passage().span().end());
                case INDEX -> best.passage().index();
            };
        }
    }

    private static final class ModelScoreTransformer extends DocTransformer {
        private final String name;
        private final SolrQueryRequest req;
        private final PassageField passage;

        ModelScoreTransformer(String name, SolrQueryRequest req, PassageField passage) {
            this.name = name;
            this.req = req;
            this.passage = passage;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public void transform(SolrDocument doc, int docid, DocIterationInfo info) {
            transformDoc(doc, docid);
        }

        /**
         * Solr 9's DocTransformer declares this deprecated method abstract; Solr 10 removed it. No {@code @Override},
         * so the one source compiles for both majors.
         */
        public void transform(SolrDocument doc, int docid) {
            transformDoc(doc, docid);
        }

        @Override
        public void setContext(ResultContext context) {
            super.setContext(context);
            // SolrCloud's second shard request (fields of the merged page) does not search, and so does
            // not rerank: replay this shard's reranking for the page's hits so they get model scores.
            Optional<RerankTrace> trace = RerankTrace.find(req);
            if (trace.isPresent() && context.getSearcher() != null && context.getDocList() != null) {
                DocList page = context.getDocList();
                int[] rows = new int[page.size()];
                DocIterator it = page.iterator();
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = it.nextDoc();
                }
                try {
                    trace.get().ensureRun(context.getSearcher(), rows);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        private void transformDoc(SolrDocument doc, int docid) {
            Optional<RerankTrace> trace = RerankTrace.find(req);
            if (passage == null) {
                trace.flatMap(t -> t.modelScore(docid)).ifPresent(s -> doc.setField(name, s));
                return;
            }
            trace.filter(t -> t.modelScore(docid).isPresent())
                    .flatMap(RerankTrace::scorer)
                    .flatMap(s -> s.passages(docid))
                    .ifPresent(p -> doc.setField(name, passage.value(p.bestPassage(), p.body())));
        }
    }
}
