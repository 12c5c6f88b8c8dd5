package io.github.jareranker.solr;

import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;

/** The Lucene 9 spelling of the accessors that Lucene 10 turned into record components (src/solr10 has the other). */
final class LuceneApi {
    private LuceneApi() {}

    static long totalHits(TopDocs topDocs) {
        return topDocs.totalHits.value;
    }

    static Query query(BooleanClause clause) {
        return clause.getQuery();
    }
}
