package io.github.jareranker.solr;

import static io.github.jareranker.solr.RerankTestSupport.Hit;
import static io.github.jareranker.solr.RerankTestSupport.hits;
import static io.github.jareranker.solr.RerankTestSupport.ids;
import static io.github.jareranker.solr.RerankTestSupport.query;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.cloud.SolrCloudTestCase;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * SolrCloud (MiniSolrCloudCluster, one node, example configset in ZooKeeper): a 2-shard collection's
 * reranked pages equal the shards' own reranked lists merged by score, and equal a 1-shard
 * collection's when reRankDocs covers every match. Queries go over HTTP through SolrJ.
 */
@SolrTestCaseJ4.SuppressSSL
public class SolrCloudRerankTest extends SolrCloudTestCase {
    private static final String TWO = "site_two_shards";
    private static final String ONE = "site_one_shard";

    @BeforeClass
    public static void setupCluster() throws Exception {
        if (!RerankTestSupport.solrCanStart()) {
            return; // each test says why it is skipped (skipWhereNoSolrNodeCanStart)
        }
        RerankTestSupport.setModelProperties();
        Path conf = RerankTestSupport.exampleConfigset().resolve("conf");
        // The test cluster's solr.xml turns metrics off unless asked (the pairs counter is read below).
        System.setProperty("metricsEnabled", "true");
        configureCluster(1).addConfig("site", conf).configure();
        CollectionAdminRequest.createCollection(TWO, "site", 2, 1).process(cluster.getSolrClient());
        CollectionAdminRequest.createCollection(ONE, "site", 1, 1).process(cluster.getSolrClient());
        cluster.waitForActiveCollection(TWO, 2, 2);
        cluster.waitForActiveCollection(ONE, 1, 1);
        for (String c : List.of(TWO, ONE)) {
            UpdateRequest up = new UpdateRequest();
            up.add(RerankTestSupport.inputDocs(RerankTestSupport.sampleDocs()));
            up.commit(cluster.getSolrClient(), c);
        }
    }

    @AfterClass
    public static void clearProperties() {
        RerankTestSupport.clearModelProperties();
        System.clearProperty("metricsEnabled");
    }

    private static List<Hit> search(
            SolrClient client, String collection, String q, int reRankDocs, int start, int rows, String... extra)
            throws Exception {
        List<String> kv = new ArrayList<>(List.of(
                "q",
                q,
                "rq",
                "{!jarerank reRankDocs=" + reRankDocs + "}",
                "start",
                String.valueOf(start),
                "rows",
                String.valueOf(rows),
                "fl",
                "id,score,originalScore()"));
        kv.addAll(List.of(extra));
        return hits(query(client, collection, "/search", kv.toArray(new String[0])));
    }

    /** Skips each test, naming why, where no Solr node can start (the Solr 10 target here: SolrRuntime). */
    @Before
    public void skipWhereNoSolrNodeCanStart() {
        RerankTestSupport.assumeSolrCanStart();
    }

    @Test
    public void testMergedPagesEqualShardListsMergedByScore() throws Exception {
        String q = "市の申し込みと受け付けの利用案内";
        SolrClient cloud = cluster.getSolrClient();
        for (int reRankDocs : new int[] {3, 100}) {
            List<Hit> merged = new ArrayList<>();
            CloudShards.leaderHits(
                            cluster,
                            TWO,
                            "/search",
                            "q",
                            q,
                            "rq",
                            "{!jarerank reRankDocs=" + reRankDocs + "}",
                            "rows",
                            "200",
                            "fl",
                            "id,score,originalScore()")
                    .values()
                    .forEach(merged::addAll);
            merged.sort(Comparator.comparingDouble((Hit h) -> -h.score()));
            assertTrue("need matches on both shards", merged.size() >= 10);
            List<Hit> distributed = search(cloud, TWO, q, reRankDocs, 0, merged.size());
            assertSameMerge("reRankDocs=" + reRankDocs, merged, distributed);
            for (int i = 1; i < distributed.size(); i++) {
                assertTrue(distributed.get(i).score() <= distributed.get(i - 1).score());
            }
            for (int[] page : new int[][] {{0, 5}, {4, 6}, {8, 5}}) {
                List<Hit> got = search(cloud, TWO, q, reRankDocs, page[0], page[1]);
                int end = Math.min(distributed.size(), page[0] + page[1]);
                assertEquals(
                        "page " + page[0] + "+" + page[1] + " reRankDocs=" + reRankDocs,
                        ids(distributed.subList(page[0], end)),
                        ids(got));
            }
        }
    }

    @Test
    public void testExplainAndModelScoresInADistributedRequest() throws Exception {
        String q = "市の申し込みと受け付けの利用案内";
        checkExplainAndModelScores(q, "*:*");
        // A filter that removes a hit of one shard's reranked block moves another hit into it: the
        // second phase must replay the first pass with the request's filters.
        String top = hits(query(cluster.getSolrClient(), TWO, "/select", "q", q, "rows", "1", "fl", "id,score"))
                .get(0)
                .id();
        checkExplainAndModelScores(q, "-id:" + top);
    }

    private void checkExplainAndModelScores(String q, String fq) throws Exception {
        int reRankDocs = 3;
        String rq = "{!jarerank reRankDocs=" + reRankDocs + "}";
        // Each shard's own answer (distrib=false): which hits it reranked and their model scores.
        java.util.Map<String, Float> shardModelScores = new java.util.HashMap<>();
        java.util.Set<String> shardTail = new java.util.HashSet<>();
        for (List<Hit> own : CloudShards.leaderHits(
                        cluster, TWO, "/search", "q", q, "rq", rq, "rows", "200", "fl", "id,score,[jarerank]", "fq", fq)
                .values()) {
            for (int i = 0; i < own.size(); i++) {
                if (i < reRankDocs) {
                    assertNotNull(own.get(i).modelScore());
                    shardModelScores.put(own.get(i).id(), own.get(i).modelScore());
                } else {
                    shardTail.add(own.get(i).id());
                }
            }
        }
        assertFalse(shardTail.isEmpty());
        // Twice: the second request may be served from the shards' queryResultCache.
        for (int round = 0; round < 2; round++) {
            org.apache.solr.client.solrj.response.QueryResponse rsp = query(
                    cluster.getSolrClient(),
                    TWO,
                    "/search",
                    "q",
                    q,
                    "rq",
                    rq,
                    "rows",
                    "12",
                    "fl",
                    "id,score,[jarerank]",
                    "debugQuery",
                    "true",
                    "fq",
                    fq);
            List<Hit> got = hits(rsp);
            assertEquals(12, got.size());
            int tail = 0;
            for (Hit h : got) {
                String explain = String.valueOf(rsp.getExplainMap().get(h.id()));
                assertEquals(
                        "explained value = returned score for " + h + ": " + explain,
                        h.score(),
                        StandaloneRerankTest.explainedValue(explain),
                        1e-5f);
                if (shardModelScores.containsKey(h.id())) {
                    assertEquals(
                            "[jarerank] in SolrCloud = the shard's model score: " + h,
                            shardModelScores.get(h.id()),
                            h.modelScore(),
                            1e-5f);
                    assertTrue(explain, explain.contains("jarerank: model 'ja'"));
                } else {
                    assertTrue(h.id() + " is in a shard's tail", shardTail.contains(h.id()));
                    assertNull("no model score past reRankDocs: " + h, h.modelScore());
                    assertTrue(explain, explain.contains("not reranked"));
                    tail++;
                }
            }
            assertTrue("the page reaches past reRankDocs on both shards", tail > 0);
            // The same without debug: [jarerank] alone.
            List<Hit> plain = hits(query(
                    cluster.getSolrClient(),
                    TWO,
                    "/search",
                    "q",
                    q,
                    "rq",
                    rq,
                    "rows",
                    "12",
                    "fl",
                    "id,score,[jarerank]",
                    "fq",
                    fq));
            assertEquals(ids(got), ids(plain));
            for (Hit h : plain) {
                Float expected = shardModelScores.get(h.id());
                if (expected == null) {
                    assertNull(h.toString(), h.modelScore());
                } else {
                    assertNotNull(h.toString(), h.modelScore());
                    assertEquals(h.toString(), expected, h.modelScore(), 1e-5f);
                }
            }
        }
    }

    /** The jarerank "pairs" counter summed over the cores of {@code collection} on every node. */
    private static long pairsScored(String collection) throws Exception {
        return CloudShards.metricSum(cluster, collection, "pairs");
    }

    @Test
    public void testModelScoresOfADistributedPageScoreOnlyThePageAgain() throws Exception {
        String q = "市の申し込みと受け付けの利用案内";
        int reRankDocs = 20;
        int rows = 3;
        String rq = "{!jarerank reRankDocs=" + reRankDocs + "}";
        SolrClient cloud = cluster.getSolrClient();
        // Warm the shards' queryResultCache: the first phase of the request below is then a cache hit.
        List<Hit> warm =
                hits(query(cloud, TWO, "/search", "q", q, "rq", rq, "rows", String.valueOf(rows), "fl", "id,score"));
        long before = pairsScored(TWO);
        List<Hit> got = hits(query(
                cloud, TWO, "/search", "q", q, "rq", rq, "rows", String.valueOf(rows), "fl", "id,score,[jarerank]"));
        long scored = pairsScored(TWO) - before;
        assertEquals(ids(warm), ids(got));
        long withModelScore = got.stream().filter(h -> h.modelScore() != null).count();
        assertEquals("every hit of the page is a reranked one: " + got, rows, withModelScore);
        assertEquals("the second phase scores the page's hits only", withModelScore, scored);
        // The model scores are the shards' own.
        for (List<Hit> shard : CloudShards.leaderHits(
                        cluster, TWO, "/search", "q", q, "rq", rq, "rows", "200", "fl", "id,score,[jarerank]")
                .values()) {
            for (Hit own : shard) {
                for (Hit h : got) {
                    if (h.id().equals(own.id())) {
                        assertNotNull(own.toString(), own.modelScore());
                        assertEquals(own.toString(), own.modelScore(), h.modelScore(), 1e-5f);
                    }
                }
            }
        }
    }

    /**
     * Same scores position by position, and the same ids; hits with equal scores (e.g. equal BM25
     * tails on different shards) may come in either order.
     */
    static void assertSameMerge(String msg, List<Hit> expected, List<Hit> actual) {
        assertEquals(msg + ": " + actual, expected.size(), actual.size());
        int i = 0;
        while (i < expected.size()) {
            int j = i;
            while (j < expected.size()
                    && expected.get(j).score() == expected.get(i).score()) {
                j++;
            }
            for (int k = i; k < j; k++) {
                assertEquals(
                        msg + " score at " + k + ": " + actual,
                        expected.get(k).score(),
                        actual.get(k).score(),
                        1e-6f);
            }
            assertEquals(
                    msg + " hits at " + i + ".." + j + ": " + actual,
                    new java.util.HashSet<>(ids(expected.subList(i, j))),
                    new java.util.HashSet<>(ids(actual.subList(i, j))));
            i = j;
        }
    }

    @Test
    public void testTwoShardsEqualOneShardWhenReRankDocsCoversAllMatches() throws Exception {
        SolrClient cloud = cluster.getSolrClient();
        for (String q : List.of("ごみの出し方", "市の申し込みと受け付けの利用案内", "子どもの健康診査はいつ")) {
            List<Hit> one = search(cloud, ONE, q, 200, 0, 10);
            List<Hit> two = search(cloud, TWO, q, 200, 0, 10);
            assertFalse(one.isEmpty());
            assertEquals(q, ids(one), ids(two));
            for (int i = 0; i < one.size(); i++) {
                assertEquals(one.get(i).score(), two.get(i).score(), 1e-4f);
                assertNotNull(
                        "originalScore() works in SolrCloud: " + two.get(i),
                        two.get(i).originalScore());
            }
        }
    }

    /**
     * Passage scoring across shards: the merged page equals a one-shard collection's, and each hit's
     * best passage (which SolrCloud's second, fields-only shard request gets by replaying the shard's
     * reranking) is the same as there and lies in the hit's body.
     */
    @Test
    public void testPassagesAndSnippetsInADistributedRequest() throws Exception {
        SolrClient cloud = cluster.getSolrClient();
        String q = "ごみの出し方";
        Map<String, Map<String, String>> docs = RerankTestSupport.byId(RerankTestSupport.sampleDocs());
        Map<String, List<Object>> byCollection = new java.util.HashMap<>();
        for (String collection : List.of(ONE, TWO)) {
            org.apache.solr.client.solrj.response.QueryResponse rsp = query(
                    cloud,
                    collection,
                    "/search",
                    "q",
                    q,
                    "rq",
                    "{!jarerank reRankDocs=200 passages=max passageTokens=40 maxPassages=4}",
                    "rows",
                    "8",
                    "fl",
                    "id,score,[jarerank],snippet:[jarerank passage=text]");
            List<Object> rows = new ArrayList<>();
            for (org.apache.solr.common.SolrDocument d : rsp.getResults()) {
                String snippet = (String) d.getFieldValue("snippet");
                assertNotNull(collection + " " + d, snippet);
                assertTrue(
                        snippet,
                        docs.get((String) d.getFieldValue("id")).get("body").contains(snippet));
                rows.add(List.of(d.getFieldValue("id"), d.getFieldValue("[jarerank]"), snippet));
            }
            assertFalse(rows.isEmpty());
            byCollection.put(collection, rows);
        }
        assertEquals(byCollection.get(ONE), byCollection.get(TWO));
    }
}
