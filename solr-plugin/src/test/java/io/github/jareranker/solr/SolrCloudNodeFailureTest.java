package io.github.jareranker.solr;

import static io.github.jareranker.solr.RerankTestSupport.hits;
import static io.github.jareranker.solr.RerankTestSupport.ids;
import static io.github.jareranker.solr.RerankTestSupport.query;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.cloud.SolrCloudTestCase;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.apache.solr.embedded.JettySolrRunner;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A node of a 2-shard × 2-replica collection stops while 8 clients query through the cluster client: every shard
 * keeps a live replica on the other node, so every query keeps succeeding with the model's order (requests sent with
 * {@code shards.tolerant=true}, as docs/solr.md recommends, so that a request caught at the moment the node goes
 * down answers from the remaining replicas instead of failing).
 */
@SolrTestCaseJ4.SuppressSSL
public class SolrCloudNodeFailureTest extends SolrCloudTestCase {
    private static final String COLLECTION = "site_replicated";
    private static final int CLIENTS = 8;
    private static final List<String> QUERIES = List.of("ごみの出し方", "図書館で本を予約したい", "市の申し込みと受け付けの利用案内");

    @BeforeClass
    public static void setupCluster() throws Exception {
        if (!RerankTestSupport.solrCanStart()) {
            return; // each test says why it is skipped (skipWhereNoSolrNodeCanStart)
        }
        RerankTestSupport.setModelProperties();
        Path conf = RerankTestSupport.exampleConfigset().resolve("conf");
        configureCluster(2).addConfig("site", conf).configure();
        CollectionAdminRequest.createCollection(COLLECTION, "site", 2, 2).process(cluster.getSolrClient());
        cluster.waitForActiveCollection(COLLECTION, 2, 4);
        UpdateRequest up = new UpdateRequest();
        up.add(RerankTestSupport.inputDocs(RerankTestSupport.sampleDocs()));
        up.commit(cluster.getSolrClient(), COLLECTION);
    }

    @AfterClass
    public static void clearProperties() {
        RerankTestSupport.clearModelProperties();
    }

    private static QueryResponse search(String q) throws Exception {
        return query(
                cluster.getSolrClient(),
                COLLECTION,
                "/search",
                "q",
                q,
                "rq",
                "{!jarerank reRankDocs=100}",
                "rows",
                "100",
                "fl",
                "id,score",
                "shards.tolerant",
                "true");
    }

    /** Skips each test, naming why, where no Solr node can start (the Solr 10 target here: SolrRuntime). */
    @Before
    public void skipWhereNoSolrNodeCanStart() {
        RerankTestSupport.assumeSolrCanStart();
    }

    @Test
    public void testQueriesSurviveANodeStoppingWithTheModelsOrder() throws Exception {
        // Every shard has a replica on each node: stopping either leaves a whole copy of the index.
        for (Slice slice : getCollectionState(COLLECTION).getSlices()) {
            Set<String> nodes = new HashSet<>();
            slice.getReplicas().forEach(r -> nodes.add(r.getNodeName()));
            assertEquals("replicas of " + slice.getName() + " on both nodes", 2, nodes.size());
        }
        // With reRankDocs covering every match, the merged order is the model's order over all matches.
        Map<String, List<String>> expected = new HashMap<>();
        for (String q : QUERIES) {
            QueryResponse rsp = search(q);
            assertNull(rsp.getHeader().get("partialResults"));
            expected.put(q, ids(hits(rsp)));
            assertTrue("matches for " + q, expected.get(q).size() >= 5);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answers = new AtomicInteger();
        AtomicIntegerArray answersAfterStopByClient = new AtomicIntegerArray(CLIENTS);
        AtomicInteger partialAnswers = new AtomicInteger();
        AtomicBoolean stopped = new AtomicBoolean(false);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int first = c;
            futures.add(clients.submit(() -> {
                for (int i = first; running.get(); i++) {
                    String q = QUERIES.get(i % QUERIES.size());
                    boolean afterStop = stopped.get();
                    try {
                        QueryResponse rsp = search(q);
                        List<String> got = ids(hits(rsp));
                        // shards.tolerant: a request caught as the node goes down may answer without one shard,
                        // flagged partialResults; what it returns is still in the model's order.
                        boolean partial = Boolean.TRUE.equals(rsp.getHeader().get("partialResults"));
                        List<String> want = partial ? subsequence(expected.get(q), got) : expected.get(q);
                        if (partial && got.isEmpty()) {
                            failures.add("an empty partial answer for " + q + ": the other shard's hits are lost");
                        }
                        if (!got.equals(want)) {
                            failures.add("order for " + q + (afterStop ? " after the stop" : "")
                                    + (partial ? " (partial)" : "") + ": " + got);
                        }
                        if (partial) {
                            partialAnswers.incrementAndGet();
                        }
                        answers.incrementAndGet();
                        if (afterStop) {
                            answersAfterStopByClient.incrementAndGet(first);
                        }
                    } catch (Exception e) {
                        failures.add(q + (afterStop ? " after the stop" : "") + ": " + e);
                    }
                }
            }));
        }
        try {
            Thread.sleep(1_000);
            JettySolrRunner victim = cluster.getJettySolrRunner(1);
            cluster.stopJettySolrRunner(victim);
            cluster.waitForJettyToStop(victim);
            stopped.set(true);
            Thread.sleep(3_000);
        } finally {
            running.set(false);
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
            clients.shutdown();
        }
        assertTrue(failures.size() + " of " + answers + " requests failed: " + failures, failures.isEmpty());
        for (int c = 0; c < CLIENTS; c++) {
            assertTrue(
                    "client " + c + " got an answer after the node stopped: " + answersAfterStopByClient,
                    answersAfterStopByClient.get(c) >= 1);
        }
        assertTrue("partial answers are the exception: " + partialAnswers, partialAnswers.get() * 10 < answers.get());
        for (Slice slice : getCollectionState(COLLECTION).getSlices()) {
            long live = slice.getReplicas().stream()
                    .filter(r -> r.getState() == Replica.State.ACTIVE
                            && cluster.getSolrClient().getClusterState().liveNodesContain(r.getNodeName()))
                    .count();
            assertEquals("one live replica left of " + slice.getName(), 1, live);
        }
    }

    /** The elements of {@code full} that {@code some} holds, in {@code full}'s order. */
    private static List<String> subsequence(List<String> full, List<String> some) {
        List<String> out = new ArrayList<>(full);
        out.retainAll(new HashSet<>(some));
        return out;
    }
}
