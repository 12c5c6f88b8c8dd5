package io.github.jareranker.solr;

import org.apache.solr.SolrTestCase;
import org.junit.Test;

/** The model reads the user's text, not its query-syntax escaping. */
public class QueryTextTest extends SolrTestCase {
    @Test
    public void removesQuerySyntaxEscapes() {
        assertEquals("ISO/TS 規格", RequestValues.unescape("ISO\\/TS 規格"));
        assertEquals("a:b (c) \"d\"", RequestValues.unescape("a\\:b \\(c\\) \\\"d\\\""));
        assertEquals("back\\slash", RequestValues.unescape("back\\\\slash"));
        assertEquals("trailing\\", RequestValues.unescape("trailing\\"));
        String plain = "東京の天気";
        assertSame(plain, RequestValues.unescape(plain));
    }
}
