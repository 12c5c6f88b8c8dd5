package io.github.jareranker.cli;

import static io.github.jareranker.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.EngineOption;
import io.github.jareranker.encoder.ScoredPairs;
import io.github.jareranker.evaluation.data.DataLocations;
import io.github.jareranker.evaluation.jsquad.JsquadDataset;
import io.github.jareranker.solr.client.SolrClients;
import io.github.jareranker.testing.SolrRuntime;
import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval jsquad} and {@code eval solr} against a real Solr in this JVM (the example configset,
 * the plugin, the random-weight test model) on the committed slice of JSQuAD (evaluation/data/jsquad:
 * the first 5 articles of valid-v1.3.json, 158 paragraphs, more than BM25's top 100). The
 * figures are recomputed independently from raw SolrJ responses; no expected number is hard-coded.
 *
 * <p>The model reads at most {@value #MAX_LENGTH} tokens per pair here (Solr and local alike), to
 * keep the test fast: the pipeline is what is under test, not the model.
 */
class JsquadSolrPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LENGTH = 128;
    private static final String FQ = "id:jsquad\\-valid\\-*";
    private static final String[] PROPERTIES = {
        "ja-reranker.home",
        "jareranker.model.dir",
        "jareranker.onnx.file",
        "jareranker.workers",
        "jareranker.maxLength",
        "host",
        "solr.log.dir",
        "solr.install.dir"
    };

    @TempDir
    static Path tmp;

    static Path dataFile;
    static JsquadDataset data;
    static EmbeddedSolr solr;
    static SolrClient solrj;

    @BeforeAll
    static void startSolrAndIndex() throws Exception {
        if (SolrRuntime.cannotStart().isPresent()) {
            return; // each test says why it is skipped (solrCanStart)
        }
        Path root = TestModels.repoRoot();
        System.setProperty("ja-reranker.home", root.toString());
        System.setProperty("jareranker.maxLength", Integer.toString(MAX_LENGTH));
        dataFile = DataLocations.vendoredJsquad(root);
        assertThat(dataFile)
                .as("committed JSQuAD subset (evaluation/data/jsquad)")
                .isRegularFile();
        data = JsquadDataset.read(dataFile);
        EmbeddedSolr.quietLogging();
        solr = EmbeddedSolr.start(
                EmbeddedSolr.configset(root),
                "jsquad",
                0,
                ModelChoice.choose(root, TestModels.testModel(), null),
                Map.of(EngineOption.WORKERS, "1"));
        solrj = SolrClients.http(solr.baseUrl());
        // Indexed here with SolrJ, independently of the CLI's indexer (the one-command test covers that).
        List<SolrInputDocument> docs = new ArrayList<>();
        for (JsquadDataset.Paragraph p : data.paragraphs()) {
            SolrInputDocument d = new SolrInputDocument();
            d.addField("id", p.id());
            d.addField("title", p.title());
            d.addField("body", p.text());
            docs.add(d);
        }
        solrj.add("jsquad", docs);
        solrj.commit("jsquad");
    }

    /** Skips each test, naming why, where no Solr node can start (the Solr 10 target here: SolrRuntime). */
    @BeforeEach
    void solrCanStart() {
        SolrRuntime.assumeCanStart();
    }

    @AfterAll
    static void stop() throws IOException {
        if (solrj != null) {
            solrj.close();
        }
        if (solr != null) {
            solr.close();
        }
        for (String p : PROPERTIES) {
            System.clearProperty(p);
        }
    }

    /** A TREC run file as qid -> doc ids in rank order. */
    private static Map<String, List<String>> readRun(Path file) throws IOException {
        Map<String, List<String>> run = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split(" ");
            run.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[2]);
        }
        return run;
    }

    /**
     * The raw Solr answer for one question: BM25 over title^2 body (the /select defaults), top 100, optionally
     * reranked.
     */
    private static SolrDocumentList search(String question, boolean rerank) throws Exception {
        ModifiableSolrParams p = new ModifiableSolrParams();
        p.set("q", QueryParser.escape(question));
        p.set("rows", 100);
        p.set("fl", "id,score");
        p.set("fq", FQ);
        if (rerank) {
            p.set("rq", "{!jarerank reRankDocs=100 reRankText=$qq}");
            p.set("qq", question);
        }
        QueryRequest req = new QueryRequest(p, SolrRequest.METHOD.POST);
        req.setPath("/select");
        return req.process(solrj, "jsquad").getResults();
    }

    private static List<String> ids(SolrDocumentList docs) {
        List<String> out = new ArrayList<>();
        for (SolrDocument d : docs) {
            out.add((String) d.getFieldValue("id"));
        }
        return out;
    }

    /** ranx's metrics for one relevant document at 1-based {@code rank} (0 = not retrieved). */
    private static double[] singleRelevant(int rank) {
        double map10 = rank >= 1 && rank <= 10 ? 1.0 / rank : 0;
        double ndcg10 = rank >= 1 && rank <= 10 ? 1.0 / (Math.log(rank + 1) / Math.log(2)) : 0;
        double recall100 = rank >= 1 && rank <= 100 ? 1 : 0;
        return new double[] {map10, ndcg10, recall100};
    }

    private static void assertMetricsInUnitRange(JsonNode runs) {
        runs.fields().forEachRemaining(run -> {
            run.getValue()
                    .fields()
                    .forEachRemaining(m -> assertThat(m.getValue().doubleValue())
                            .as(run.getKey() + " " + m.getKey())
                            .isBetween(0.0, 1.0));
            // one relevant document: nDCG@10 = 1/log2(rank+1) >= MAP@10 = 1/rank per query
            assertThat(run.getValue().get("ndcg@10").doubleValue())
                    .isGreaterThanOrEqualTo(run.getValue().get("map@10").doubleValue());
        });
    }

    /**
     * The example configset turns the pair-score cache on: the same question's window under another filter (so not
     * from Solr's queryResultCache) is answered from the cache, every pair of the window a hit, none scored again.
     */
    @Test
    void theExampleConfigsetAnswersARepeatedWindowFromThePairCache() throws Exception {
        CoreMetrics metrics = new CoreMetrics(solr.baseUrl(), "jsquad");
        String question = data.questions().get(0).question();
        int window = 20;
        long numFound = windowSearch(question, window, "*:*").getNumFound();
        long hits = metrics.count("pairCache.hits");
        long misses = metrics.count("pairCache.misses");
        long pairs = metrics.count("pairs");
        windowSearch(question, window, "id:*");
        assertThat(metrics.count("pairCache.hits") - hits).isEqualTo(Math.min(window, numFound));
        assertThat(metrics.count("pairCache.misses")).isEqualTo(misses);
        assertThat(metrics.count("pairs")).as("pairs the model scored").isEqualTo(pairs);
    }

    private static SolrDocumentList windowSearch(String question, int window, String filter) throws Exception {
        ModifiableSolrParams p = new ModifiableSolrParams();
        p.set("q", QueryParser.escape(question));
        p.set("rows", 10);
        p.set("fl", "id,score");
        p.set("fq", filter);
        p.set("rq", "{!jarerank reRankDocs=" + window + " reRankText=$qq}");
        p.set("qq", question);
        QueryRequest req = new QueryRequest(p, SolrRequest.METHOD.POST);
        req.setPath("/select");
        return req.process(solrj, "jsquad").getResults();
    }

    @Test
    void jsquadAgainstASolrUrlMatchesRawSolrResponses() throws Exception {
        Path out = tmp.resolve("external");
        String[] r = run(
                "eval",
                "jsquad",
                "--solr",
                solr.coreUrl(),
                "--no-index",
                "--data",
                dataFile.toString(),
                "--questions",
                "20",
                "--seed",
                "11",
                "--json",
                "--run-out",
                out.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode json = JSON.readTree(r[1]);
        JsonNode runs = json.get("runs");
        assertThat(runs.has("bm25")).isTrue();
        assertThat(runs.has("bm25+rq (solr)")).isTrue();
        assertThat(json.get("queries").intValue()).isEqualTo(20);
        assertThat(json.get("solr").get("rerank_docs").intValue()).isEqualTo(100);
        assertThat(json.get("solr").get("k").intValue()).isEqualTo(100);
        assertThat(json.get("solr").get("in_process").booleanValue()).isFalse();
        assertThat(json.get("notes").toString()).contains("whatever model the Solr core configures");
        assertMetricsInUnitRange(runs);

        // the sample is the dataset's deterministic sample, and it is what was evaluated
        List<JsquadDataset.Question> sample = data.sampleQuestions(20, 11).questions();
        List<String> sampleIds = new ArrayList<>();
        json.get("sample").get("qids").forEach(q -> sampleIds.add(q.asText()));
        assertThat(sampleIds)
                .containsExactlyElementsOf(
                        sample.stream().map(JsquadDataset.Question::qid).toList());
        assertThat(json.get("sample").get("seed").longValue()).isEqualTo(11);
        assertThat(Files.readAllLines(out.resolve("queries.tsv"))).hasSize(20);

        Map<String, List<String>> bm25Run = readRun(out.resolve("bm25.trec"));
        Map<String, List<String>> rqRun = readRun(out.resolve("bm25-rq.trec"));
        double[] bm25Sum = new double[3];
        double[] rqSum = new double[3];
        int reordered = 0;
        for (JsquadDataset.Question q : sample) {
            SolrDocumentList bm25 = search(q.question(), false);
            SolrDocumentList rq = search(q.question(), true);
            List<String> bm25Ids = ids(bm25);
            List<String> rqIds = ids(rq);
            assertThat(bm25Ids).hasSize((int) Math.min(100, bm25.getNumFound()));
            // the CLI collected exactly what Solr answers
            assertThat(bm25Run.get(q.qid())).as(q.qid()).isEqualTo(bm25Ids);
            assertThat(rqRun.get(q.qid())).as(q.qid()).isEqualTo(rqIds);
            // rq reorders the BM25 top 100: a permutation, every hit scored by the model (sigmoid, 0..1), sorted by
            // that score
            assertThat(rqIds).as(q.qid()).containsExactlyInAnyOrderElementsOf(bm25Ids);
            float previous = Float.POSITIVE_INFINITY;
            for (SolrDocument d : rq) {
                float s = ((Number) d.getFieldValue("score")).floatValue();
                assertThat(s)
                        .as(q.qid() + " " + d.getFieldValue("id"))
                        .isBetween(0f, 1f)
                        .isLessThanOrEqualTo(previous);
                previous = s;
            }
            if (!rqIds.equals(bm25Ids)) {
                reordered++;
            }
            double[] b = singleRelevant(bm25Ids.indexOf(q.paragraphId()) + 1);
            double[] x = singleRelevant(rqIds.indexOf(q.paragraphId()) + 1);
            for (int i = 0; i < 3; i++) {
                bm25Sum[i] += b[i];
                rqSum[i] += x[i];
            }
        }
        assertThat(reordered).as("queries whose order the model changed").isPositive();
        String[] names = {"map@10", "ndcg@10", "recall@100"};
        for (int i = 0; i < 3; i++) {
            assertThat(runs.get("bm25").get(names[i]).doubleValue())
                    .as("bm25 " + names[i])
                    .isCloseTo(bm25Sum[i] / 20, within(1e-12));
            assertThat(runs.get("bm25+rq (solr)").get(names[i]).doubleValue())
                    .as("rq " + names[i])
                    .isCloseTo(rqSum[i] / 20, within(1e-12));
        }
        // recall@100 over the top 100 is the share of questions whose paragraph BM25 retrieved; reordering keeps it
        assertThat(runs.get("bm25+rq (solr)").get("recall@100").doubleValue())
                .isEqualTo(runs.get("bm25").get("recall@100").doubleValue());
        assertThat(json.get("vs_first")
                        .get("bm25+rq (solr)")
                        .get("recall@100")
                        .get("ties")
                        .intValue())
                .isEqualTo(20);

        // Solr's model scores are the model's own: rescore a few questions' BM25 hits in this process
        try (CrossEncoder enc = CrossEncoder.load(CrossEncoderOptions.builder(TestModels.testModel())
                .maxLength(MAX_LENGTH)
                .intraOpThreads(1)
                .build())) {
            for (JsquadDataset.Question q : sample.subList(0, 3)) {
                SolrDocumentList rq = search(q.question(), true);
                List<String> passages = new ArrayList<>();
                for (SolrDocument d : rq) {
                    JsquadDataset.Paragraph p = data.paragraph((String) d.getFieldValue("id"));
                    passages.add(p.title() + " " + p.text());
                }
                ScoredPairs local = enc.score(q.question(), passages);
                for (int i = 0; i < rq.size(); i++) {
                    double sigmoid = 1 / (1 + Math.exp(-local.logits()[i]));
                    assertThat(((Number) rq.get(i).getFieldValue("score")).doubleValue())
                            .as(q.qid() + " hit " + i)
                            .isCloseTo(sigmoid, within(1e-4));
                }
            }
        }
    }

    @Test
    void oneCommandStartsSolrIndexesEvaluatesAndStops() throws Exception {
        Path out = tmp.resolve("one");
        String[] r = run(
                "eval",
                "jsquad",
                "--data",
                dataFile.toString(),
                "--model",
                TestModels.testModel().toString(),
                "--workers",
                "1",
                "--questions",
                "3",
                "--seed",
                "3",
                "--local-model",
                TestModels.testModel().toString(),
                "--max-length",
                Integer.toString(MAX_LENGTH),
                "--json",
                "--run-out",
                out.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode json = JSON.readTree(r[1]);
        assertThat(json.get("solr").get("in_process").booleanValue()).isTrue();
        assertThat(json.get("model").get("random_weights").booleanValue()).isTrue();
        assertThat(json.get("notes").toString()).contains("RANDOM WEIGHTS");
        assertThat(json.get("seconds").get("index").doubleValue()).isPositive();
        JsonNode runs = json.get("runs");
        assertThat(runs.has("bm25") && runs.has("bm25+rq (solr)") && runs.has("bm25+rerank (local)"))
                .isTrue();
        assertMetricsInUnitRange(runs);

        Map<String, List<String>> bm25 = readRun(out.resolve("bm25.trec"));
        Map<String, List<String>> rq = readRun(out.resolve("bm25-rq.trec"));
        Map<String, List<String>> local = readRun(out.resolve("bm25-rerank-local.trec"));
        List<JsquadDataset.Question> sample = data.sampleQuestions(3, 3).questions();
        int found = 0;
        for (JsquadDataset.Question q : sample) {
            assertThat(bm25.get(q.qid()))
                    .as(q.qid())
                    .isNotEmpty()
                    .hasSizeLessThanOrEqualTo(100)
                    .doesNotHaveDuplicates();
            assertThat(rq.get(q.qid())).as(q.qid()).containsExactlyInAnyOrderElementsOf(bm25.get(q.qid()));
            assertThat(local.get(q.qid())).as(q.qid()).containsExactlyInAnyOrderElementsOf(bm25.get(q.qid()));
            assertThat(new HashSet<>(bm25.get(q.qid()))).allMatch(id -> data.paragraph(id) != null);
            if (bm25.get(q.qid()).contains(q.paragraphId())) {
                found++;
            }
        }
        assertThat(runs.get("bm25").get("recall@100").doubleValue()).isCloseTo(found / 3.0, within(1e-12));
        assertThat(runs.get("bm25+rq (solr)").get("recall@100").doubleValue())
                .isEqualTo(runs.get("bm25").get("recall@100").doubleValue());

        // Solr is gone afterwards
        URI url = URI.create(json.get("solr").get("url").asText());
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", url.getPort()), 2000);
            throw new AssertionError("the in-process Solr still listens on " + url);
        } catch (ConnectException expected) {
            // stopped
        }
    }

    @Test
    void tableShowsTheSampleAndBm25Only() {
        String[] r = run(
                "eval",
                "jsquad",
                "--solr",
                solr.coreUrl(),
                "--no-index",
                "--data",
                dataFile.toString(),
                "--questions",
                "3",
                "--no-rerank");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1])
                .contains("questions: 3 of " + data.questions().size() + ", sampled with --seed 42")
                .contains(data.sampleQuestions(3, 42).questions().get(0).qid())
                .contains("map@10", "ndcg@10", "recall@100", "bm25 ")
                .contains("BM25 only")
                .doesNotContain("bm25+rq");
    }

    @Test
    void evalSolrComparesBm25AndRqOnTheSameServer() throws Exception {
        // the questions of the eval jsquad test: Solr's queryResultCache answers the repeated searches
        List<JsquadDataset.Question> sample = data.sampleQuestions(20, 11).questions();
        StringBuilder tsv = new StringBuilder();
        StringBuilder qrels = new StringBuilder();
        for (JsquadDataset.Question q : sample) {
            tsv.append(q.qid()).append('\t').append(q.question()).append('\n');
            qrels.append(q.qid()).append(" 0 ").append(q.paragraphId()).append(" 1\n");
        }
        Path queries = Files.writeString(tmp.resolve("queries.tsv"), tsv);
        Path qrelsFile = Files.writeString(tmp.resolve("qrels.trec"), qrels);
        String[] common = {
            "eval",
            "solr",
            "--solr",
            solr.coreUrl(),
            "--queries",
            queries.toString(),
            "--qrels",
            qrelsFile.toString(),
            "--param",
            "fq=" + FQ,
            "--metrics",
            "map@10,ndcg@10,recall@100"
        };

        String[] r = run(concat(common, "--json"));
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode json = JSON.readTree(r[1]);
        assertMetricsInUnitRange(json.get("runs"));
        double[] bm25 = new double[3];
        double[] rq = new double[3];
        for (JsquadDataset.Question q : sample) {
            double[] b = singleRelevant(ids(search(q.question(), false)).indexOf(q.paragraphId()) + 1);
            double[] x = singleRelevant(ids(search(q.question(), true)).indexOf(q.paragraphId()) + 1);
            for (int i = 0; i < 3; i++) {
                bm25[i] += b[i];
                rq[i] += x[i];
            }
        }
        String[] names = {"map@10", "ndcg@10", "recall@100"};
        for (int i = 0; i < 3; i++) {
            assertThat(json.get("runs").get("bm25").get(names[i]).doubleValue())
                    .as("bm25 " + names[i])
                    .isCloseTo(bm25[i] / 20, within(1e-12));
            assertThat(json.get("runs").get("bm25+rq").get(names[i]).doubleValue())
                    .as("rq " + names[i])
                    .isCloseTo(rq[i] / 20, within(1e-12));
            JsonNode wtl = json.get("vs_first").get("bm25+rq").get(names[i]);
            assertThat(wtl.get("wins").intValue()
                            + wtl.get("ties").intValue()
                            + wtl.get("losses").intValue())
                    .isEqualTo(20);
        }

        // the table for people: side by side, W/T/L, and the per-query list
        String[] t = run(concat(common, "--per-query"));
        assertThat(t[0]).as(t[2]).isEqualTo("0");
        assertThat(t[1])
                .contains(
                        "bm25+rq",
                        "(baseline)",
                        "(W/T/L)",
                        "per query, map@10, bm25+rq vs bm25",
                        "rq={!jarerank reRankDocs=100");

        // a cutoff beyond the hits collected is refused before anything runs
        String[] bad = run(concat(common, "-k", "10"));
        assertThat(bad[0]).isEqualTo("2");
        assertThat(bad[2]).contains("recall@100 needs the top 100");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
