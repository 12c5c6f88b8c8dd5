package io.github.jareranker.solr;

import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;

/** The Lucene 10 spelling of accessors that were fields or getters in Lucene 9 (src/solr9 has the other). */
final class LuceneApi {
    private LuceneApi() {}

    static long totalHits(TopDocs topDocs) {
        return topDocs.totalHits.value();
    }

    static Query query(BooleanClause clause) {
        return clause.query();
    }
}
