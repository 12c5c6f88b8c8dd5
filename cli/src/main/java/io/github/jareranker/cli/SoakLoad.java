package io.github.jareranker.cli;

import io.github.jareranker.evaluation.jsquad.JsquadDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.request.CoreAdminRequest;
import org.apache.solr.client.solrj.response.QueryResponse;

/**
 * The load of one {@code soak} run: client threads that send unique JSQuAD questions, reranked, to the core until a
 * deadline, every {@code checkEvery}-th response checked against the model ({@link RerankedPageCheck}), and a thread
 * that reloads the core a number of times spread evenly over the run. It counts what happened and keeps the first
 * {@value #MAX_PROBLEMS} problems. The counters may be read while it runs.
 */
final class SoakLoad {
    static final int MAX_PROBLEMS = 10;

    private final SolrClient client;
    private final String core;
    private final JsquadDataset dataset;
    private final RerankedPageCheck check;
    private final int reRankDocs;
    private final int checkEvery;

    final AtomicLong queries = new AtomicLong();
    final AtomicLong fallbacks = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong checked = new AtomicLong();
    final AtomicLong wrong = new AtomicLong();
    final AtomicInteger reloadsDone = new AtomicInteger();
    final AtomicLong reloadErrors = new AtomicLong();

    private final List<String> problems = new ArrayList<>();
    private final AtomicLong nextQuery = new AtomicLong();
    private final List<Future<?>> running = new ArrayList<>();
    private ExecutorService pool;

    SoakLoad(
            SolrClient client,
            String core,
            JsquadDataset dataset,
            RerankedPageCheck check,
            int reRankDocs,
            int checkEvery) {
        this.client = client;
        this.core = core;
        this.dataset = dataset;
        this.check = check;
        this.reRankDocs = reRankDocs;
        this.checkEvery = checkEvery;
    }

    /** Starts {@code clients} client threads and, with {@code reloads > 0}, the reloading thread; both stop at end. */
    void start(int clients, int reloads, long startNanos, long endNanos) {
        pool = Executors.newFixedThreadPool(clients + 1);
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                sendUntil(endNanos);
                return null;
            }));
        }
        if (reloads > 0) {
            long every = (endNanos - startNanos) / (reloads + 1);
            running.add(pool.submit(() -> {
                reload(reloads, startNanos, every);
                return null;
            }));
        }
    }

    /** Waits for every thread to stop (they stop at the deadline) and shuts the pool down. */
    void await() throws Exception {
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
    }

    /** The first problems seen (at most {@value #MAX_PROBLEMS}), in order. */
    List<String> problems() {
        synchronized (problems) {
            return new ArrayList<>(problems);
        }
    }

    /** Whether the run had no error, no wrong order and no failed reload. */
    boolean clean() {
        return errors.get() == 0 && wrong.get() == 0 && reloadErrors.get() == 0;
    }

    private void sendUntil(long endNanos) {
        while (System.nanoTime() < endNanos) {
            long n = nextQuery.getAndIncrement();
            String q = uniqueQuery(dataset, n);
            try {
                boolean checkThis = n % checkEvery == 0;
                QueryResponse r = SolrWorkload.search(
                        client, core, q, reRankDocs, 10, checkThis ? "id,score,[jarerank]" : "id,score");
                queries.incrementAndGet();
                if (Boolean.TRUE.equals(r.getResponseHeader().get("partialResults"))) {
                    fallbacks.incrementAndGet();
                } else if (checkThis) {
                    checked.incrementAndGet();
                    String problem = check.problem(q, r);
                    if (problem != null) {
                        wrong.incrementAndGet();
                        note(problem);
                    }
                }
            } catch (Exception e) {
                errors.incrementAndGet();
                note("query '" + q + "': " + e);
            }
        }
    }

    private void reload(int reloads, long startNanos, long every) {
        for (int i = 1; i <= reloads; i++) {
            sleepUntil(startNanos + i * every);
            try {
                CoreAdminRequest.reloadCore(core, client);
                reloadsDone.incrementAndGet();
            } catch (Exception e) {
                reloadErrors.incrementAndGet();
            }
        }
    }

    private void note(String problem) {
        synchronized (problems) {
            if (problems.size() < MAX_PROBLEMS) {
                problems.add(problem);
            }
        }
    }

    /** Questions in file order, then pairs of questions, so that no two requests of a run are equal. */
    private static String uniqueQuery(JsquadDataset dataset, long n) {
        List<JsquadDataset.Question> qs = dataset.questions();
        int size = qs.size();
        String first = qs.get((int) (n % size)).question();
        long round = n / size;
        return round == 0
                ? first
                : first + " " + qs.get((int) ((n + round) % size)).question();
    }

    /** Sleeps until {@link System#nanoTime()} reaches {@code nanoTime}; an interrupt ends the wait early. */
    static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
