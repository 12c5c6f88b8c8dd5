package io.github.jareranker.solr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.lucene.PairScoreCache;
import io.github.jareranker.testing.TestModels;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/**
 * Measures the heap one pair-score cache entry costs, through the real {@link PairCacheRegistry} (Caffeine, as Solr
 * loads it): fills a cache with {@code entries} pairs shaped like a Japanese site's (windows of 100 hits per query, a
 * 20-character query, a 12-character uniqueKey) and reads the used heap after full GCs before and after. A
 * measurement, not a test: run it alone on a quiet machine,
 *
 * <pre>
 * mvn -B -q -pl solr-plugin -am test-compile -DskipTests
 * mvn -B -q -pl solr-plugin org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.github.jareranker.solr.PairCacheMemory -Dexec.args="200000 docs/results/pair-cache-memory.json"
 * </pre>
 *
 * and it writes the figures (with commit, date and machine) to the JSON file named.
 */
public final class PairCacheMemory {
    private PairCacheMemory() {}

    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Path out = Path.of(args.length > 1 ? args[1] : "pair-cache-memory.json").toAbsolutePath();
        int window = 100;
        try (CrossEncoder encoder = CrossEncoder.load(
                        CrossEncoderOptions.builder(TestModels.testModel()).build());
                PairCacheRegistry.Lease lease = PairCacheRegistry.global().acquire(encoder, entries)) {
            PairScoreCache cache = lease.cache();
            long before = usedAfterGc();
            String query = "";
            for (int i = 0; i < entries; i++) {
                if (i % window == 0) {
                    // One query string per window, as one request's rescorer shares it across its hits.
                    query = String.format(Locale.ROOT, "粗大ごみの出し方を知りたい %08d", i / window);
                }
                String docKey = String.format(Locale.ROOT, "page-%07d", i);
                cache.put(
                        PairScoreCache.Key.of(query, docKey, "text of " + docKey), new PairScoreCache.Scores(0.5f, 0f));
            }
            long after = usedAfterGc();
            long held = lease.entries();
            double perEntry = (after - before) / (double) held;
            ObjectMapper json = new ObjectMapper();
            ObjectNode r = json.createObjectNode();
            r.put("commit", git("rev-parse", "HEAD"));
            r.put("date", Instant.now().toString());
            r.put(
                    "what",
                    "heap bytes per pair-score cache entry (PairCacheRegistry, Caffeine), used heap after full GC");
            r.put("entries", held);
            r.put("windowHits", window);
            r.put("heapBytesBefore", before);
            r.put("heapBytesAfter", after);
            r.put("bytesPerEntry", Math.round(perEntry));
            r.put("mbPer100kEntries", Math.round(perEntry * 100_000 / 1e6 * 10) / 10.0);
            ObjectNode p = r.putObject("provenance");
            p.put(
                    "machine",
                    Runtime.getRuntime().availableProcessors() + " cores, "
                            + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB max heap, "
                            + System.getProperty("os.arch")
                            + ", Java " + Runtime.version());
            p.put("command", "PairCacheMemory " + entries);
            Files.writeString(out, json.writerWithDefaultPrettyPrinter().writeValueAsString(r) + "\n");
            System.out.println(r.toPrettyString());
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static String git(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String s = new String(p.getInputStream().readAllBytes()).trim();
        return p.waitFor() == 0 ? s : "unknown";
    }
}
