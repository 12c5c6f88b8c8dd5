package io.github.jareranker.solr;

import static io.github.jareranker.solr.RerankTestSupport.hits;
import static io.github.jareranker.solr.RerankTestSupport.ids;
import static io.github.jareranker.solr.RerankTestSupport.query;

import io.github.jareranker.encoder.CrossEncoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.request.CoreAdminRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Core reloads while 16 clients query over HTTP (the soak command's scenario, scaled to seconds): every response is
 * the model's order (a fallback to first-pass order with {@code partialResults} is counted and must not occur: nothing
 * in this set-up can cause one); no request fails, none returns a wrong order, and the model registry ends with the
 * one model the core holds.
 */
@SolrTestCaseJ4.SuppressSSL
public class ReloadUnderLoadTest extends SolrTestCaseJ4 {
    private static final String CORE = "site";
    private static final int CLIENTS = 16;
    private static final int RELOADS = 10;
    private static final List<String> QUERIES =
            List.of("ごみの出し方", "図書館で本を予約したい", "子どもの健康診査はいつ", "住民票の写しを取りたい", "粗大ごみの申し込み");

    private static StandaloneSolr solr;
    private static SolrClient client;

    @BeforeClass
    public static void startSolr() throws Exception {
        if (!RerankTestSupport.solrCanStart()) {
            return; // each test says why it is skipped (skipWhereNoSolrNodeCanStart)
        }
        solr = StandaloneSolr.start(createTempDir("solr-home"), CORE);
        client = solr.client();
        client.add(CORE, RerankTestSupport.inputDocs(RerankTestSupport.sampleDocs()));
        client.commit(CORE);
    }

    @AfterClass
    public static void stopSolr() throws Exception {
        if (solr != null) {
            solr.close();
        }
        solr = null;
        client = null;
    }

    /** Skips each test, naming why, where no Solr node can start (the Solr 10 target here: SolrRuntime). */
    @Before
    public void skipWhereNoSolrNodeCanStart() {
        RerankTestSupport.assumeSolrCanStart();
    }

    @Test
    public void testReloadsWhileSixteenClientsQuery() throws Exception {
        Map<String, List<String>> firstPass = new HashMap<>();
        Map<String, List<String>> reranked = new HashMap<>();
        try (CrossEncoder reference = RerankTestSupport.loadReferenceModel()) {
            Map<String, Map<String, String>> docs = RerankTestSupport.byId(RerankTestSupport.sampleDocs());
            for (String q : QUERIES) {
                List<String> fp = ids(hits(query(client, CORE, "/select", "q", q, "fl", "id,score", "rows", "200")));
                firstPass.put(q, fp);
                reranked.put(q, RerankTestSupport.expectedOrder(reference, q, fp, 100, docs, new HashMap<>()));
            }
        }
        long loads = ModelRegistry.global().totalLoads();
        int loaded = ModelRegistry.global().loadedModels();
        AtomicBoolean reloading = new AtomicBoolean(true);
        AtomicInteger rerankedAnswers = new AtomicInteger();
        AtomicInteger fallbacks = new AtomicInteger();
        AtomicInteger answers = new AtomicInteger();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client0 = c;
            running.add(clients.submit(() -> {
                for (int i = client0; reloading.get() || i < client0 + 2; i++) {
                    String q = QUERIES.get(i % QUERIES.size());
                    try {
                        QueryResponse rsp = query(client, CORE, "/search", "q", q, "rows", "100", "fl", "id,score");
                        List<String> got = ids(hits(rsp));
                        answers.incrementAndGet();
                        if (Boolean.TRUE.equals(rsp.getHeader().get("partialResults"))) {
                            fallbacks.incrementAndGet();
                            if (!got.equals(firstPass.get(q))) {
                                failures.add("fallback not in first-pass order for " + q + ": " + got);
                            }
                        } else if (got.equals(reranked.get(q))) {
                            rerankedAnswers.incrementAndGet();
                        } else {
                            failures.add("wrong order for " + q + ": " + got);
                        }
                    } catch (Exception e) {
                        failures.add(q + ": " + e);
                    }
                }
            }));
        }
        try {
            for (int r = 0; r < RELOADS; r++) {
                Thread.sleep(200);
                CoreAdminRequest.reloadCore(CORE, client);
            }
        } finally {
            reloading.set(false);
            for (Future<?> f : running) {
                f.get(2, TimeUnit.MINUTES);
            }
            clients.shutdown();
        }
        assertTrue(failures.size() + " failed requests: " + failures, failures.isEmpty());
        // Nothing in this set-up may make the plugin fall back: no time limit (timeoutMs 0, no timeAllowed), a queue
        // (maxQueuedCalls 64) that holds all 16 clients, and the model kept across reloads (the load count below). A
        // fallback here would be a request broken by a reload, so none is allowed, and every answer is reranked.
        assertEquals("fallbacks (first-pass order with partialResults)", 0, fallbacks.get());
        assertEquals("every answer reranked", answers.get(), rerankedAnswers.get());
        assertTrue("answers while reloading: " + answers, answers.get() >= CLIENTS * 2);
        assertEquals(
                "reloads reuse the loaded models", loads, ModelRegistry.global().totalLoads());
        assertEquals(loaded, ModelRegistry.global().loadedModels());
        QueryResponse after = query(client, CORE, "/search", "q", QUERIES.get(0), "rows", "100", "fl", "id,score");
        assertEquals(reranked.get(QUERIES.get(0)), ids(hits(after)));
        System.out.printf(
                "reload under load: %d reloads, %d reranked answers, %d fallbacks, 0 failures%n",
                RELOADS, rerankedAnswers.get(), fallbacks.get());
    }
}
