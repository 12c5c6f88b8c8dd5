package io.github.jareranker.benchmarks;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jareranker.encoder.OrtSettings;
import io.github.jareranker.evaluation.report.ResultsFileOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where one pair's time goes inside ONNX Runtime: the JSQuAD workload's pairs run one pair per run on
 * one thread, as each of the engine's workers runs them (optimization level ALL, sequential, intra-op
 * threads 1, spinning off, CPU arena on: the engine's CPU settings), first unprofiled (wall time per
 * run), then with ONNX Runtime's profiler on. The profile's node kernel times are summed by operator
 * type and set against the profiled runs' wall time; what is not kernel time is ONNX Runtime's own
 * work between kernels. Profiling slows the run (reported), most for the many small operators, so
 * their shares are upper bounds.
 */
@Command(
        name = "profile",
        mixinStandardHelpOptions = true,
        description = "Kernel time by operator type of one-pair runs (ONNX Runtime profiler), engine settings.")
public final class ProfileBenchmark implements Callable<Integer> {
    @Mixin
    ModelFilesOption model = new ModelFilesOption();

    @Option(names = "--pairs", description = "Measured pairs (default: ${DEFAULT-VALUE}).")
    int pairs = 200;

    @Mixin
    MaxLengthOption maxLength = new MaxLengthOption();

    /** --out FILE: the results as JSON. */
    @Mixin
    ResultsFileOption results = new ResultsFileOption();

    @Override
    public Integer call() throws Exception {
        Path file = model.requireOnnxFile();
        Path jsquad = Workload.validSplit(this);
        // the latency benchmark's workload: 100 candidates per question, "title text"
        Workload workload = Workload.jsquad(jsquad, (pairs + 99) / 100, 100, 20261129L);
        List<long[]> ids = tokenize(workload);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long tokens = ids.stream().mapToLong(a -> a.length).sum();
        double plainMsPerPair = msPerPair(env, file, ids, null, null);
        Path dir = Files.createTempDirectory("ja-reranker-profile-");
        String[] profile = new String[1];
        double profiledMsPerPair = msPerPair(env, file, ids, dir, profile);
        JsonNode events = new ObjectMapper().readTree(Path.of(profile[0]).toFile());
        Files.deleteIfExists(Path.of(profile[0]));
        Files.deleteIfExists(dir);
        KernelTimes kernels = KernelTimes.of(events, ids.size());
        System.out.printf(
                Locale.ROOT,
                "%s: %d pairs, %.0f tokens per pair, 1 thread%n"
                        + "  unprofiled %.3f ms per pair; profiled %.3f ms (x%.2f)%n"
                        + "  kernel time %.1f %% of the profiled runs' time (the rest: ONNX Runtime between kernels)%n",
                file,
                ids.size(),
                tokens / (double) ids.size(),
                plainMsPerPair,
                profiledMsPerPair,
                profiledMsPerPair / plainMsPerPair,
                100.0 * kernels.kernelMicros() / kernels.runMicros());
        ObjectNode result = new ObjectMapper().createObjectNode();
        result.put("model", file.toString());
        result.put("pairs", ids.size());
        result.put("tokensPerPair", tokens / (double) ids.size());
        result.put("msPerPair", plainMsPerPair);
        result.put("profiledMsPerPair", profiledMsPerPair);
        result.put("kernelShareOfRun", kernels.kernelMicros() / (double) kernels.runMicros());
        operators(result.putObject("operators"), kernels, ids.size());
        results.write(result);
        return 0;
    }

    /**
     * The wall milliseconds per pair of one pass over {@code ids} after a warm-up of ten, in a session of the engine's
     * settings; with {@code profileDir} non-null, profiled into that folder, the profile file's path stored in {@code
     * profile[0]}.
     */
    private static double msPerPair(OrtEnvironment env, Path file, List<long[]> ids, Path profileDir, String[] profile)
            throws Exception {
        try (OrtSession.SessionOptions so = engineSettings()) {
            if (profileDir != null) {
                so.enableProfiling(profileDir.resolve("ort").toString());
            }
            try (OrtSession session = env.createSession(file.toString(), so)) {
                runAll(env, session, ids.subList(0, Math.min(10, ids.size()))); // warm-up
                long t0 = System.nanoTime();
                runAll(env, session, ids);
                double ms = (System.nanoTime() - t0) / 1e6 / ids.size();
                if (profileDir != null) {
                    profile[0] = session.endProfiling();
                }
                return ms;
            }
        }
    }

    /** Prints the operators' table and records each operator's shares in {@code ops}, largest first. */
    private static void operators(ObjectNode ops, KernelTimes kernels, int pairs) {
        System.out.printf(Locale.ROOT, "  %-28s %8s %8s %8s%n", "operator", "% kernel", "% run", "per run");
        for (Map.Entry<String, Long> e : kernels.byOperator().entrySet()) {
            double ofKernel = e.getValue() / (double) kernels.kernelMicros();
            double ofRun = e.getValue() / (double) kernels.runMicros();
            double perRun = kernels.nodesPerRun().get(e.getKey()) / (double) pairs;
            System.out.printf(
                    Locale.ROOT, "  %-28s %8.1f %8.1f %8.1f%n", e.getKey(), 100 * ofKernel, 100 * ofRun, perRun);
            ObjectNode op = ops.putObject(e.getKey());
            op.put("shareOfKernel", ofKernel);
            op.put("shareOfRun", ofRun);
            op.put("nodesPerRun", perRun);
        }
    }

    /**
     * The kernel time of the measured runs of a profile by operator type (largest first), the nodes of each type, the
     * kernels' total and the runs' total, in microseconds.
     */
    private record KernelTimes(
            Map<String, Long> byOperator, Map<String, Integer> nodesPerRun, long kernelMicros, long runMicros) {
        /** Only the measured runs: the last {@code measuredRuns} model_run events and the kernels inside them. */
        static KernelTimes of(JsonNode events, int measuredRuns) {
            List<long[]> runs = new ArrayList<>();
            for (JsonNode e : events) {
                if ("model_run".equals(e.path("name").asText())) {
                    runs.add(new long[] {
                        e.path("ts").asLong(),
                        e.path("ts").asLong() + e.path("dur").asLong()
                    });
                }
            }
            List<long[]> measured = runs.subList(Math.max(0, runs.size() - measuredRuns), runs.size());
            long measuredStart = measured.isEmpty() ? Long.MAX_VALUE : measured.get(0)[0];
            long runMicros = measured.stream().mapToLong(r -> r[1] - r[0]).sum();
            Map<String, Long> byOp = new HashMap<>();
            Map<String, Integer> nodesPerRun = new HashMap<>();
            long kernelMicros = 0;
            for (JsonNode e : events) {
                String name = e.path("name").asText();
                if (!"Node".equals(e.path("cat").asText())
                        || !name.endsWith("_kernel_time")
                        || e.path("ts").asLong() < measuredStart) {
                    continue;
                }
                String op = e.path("args").path("op_name").asText("?");
                long dur = e.path("dur").asLong();
                byOp.merge(op, dur, Long::sum);
                nodesPerRun.merge(op, 1, Integer::sum);
                kernelMicros += dur;
            }
            Map<String, Long> sorted = new LinkedHashMap<>();
            byOp.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> sorted.put(e.getKey(), e.getValue()));
            return new KernelTimes(sorted, nodesPerRun, kernelMicros, runMicros);
        }
    }

    /** The engine's CPU session settings (OnnxModel): what one worker runs with. */
    private static OrtSession.SessionOptions engineSettings() throws OrtException {
        return OrtSettings.cpuSessionOptions(1, true);
    }

    private List<long[]> tokenize(Workload workload) throws Exception {
        Map<String, String> options =
                Map.of("truncation", "longest_first", "maxLength", String.valueOf(maxLength.get()), "padding", "false");
        List<long[]> ids = new ArrayList<>();
        try (HuggingFaceTokenizer tokenizer =
                HuggingFaceTokenizer.newInstance(model.directory().resolve("tokenizer.json"), options)) {
            for (int q = 0; q < workload.queries.size() && ids.size() < pairs; q++) {
                for (String doc : workload.candidates.get(q)) {
                    if (ids.size() == pairs) {
                        break;
                    }
                    Encoding e = tokenizer.encode(workload.queries.get(q), doc);
                    ids.add(e.getIds());
                }
            }
        }
        return ids;
    }

    /** One run per pair: input_ids and an all-ones attention_mask of shape [1, length]. */
    private static void runAll(OrtEnvironment env, OrtSession session, List<long[]> ids) throws OrtException {
        for (long[] pair : ids) {
            long[] mask = new long[pair.length];
            Arrays.fill(mask, 1L);
            Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
            try {
                for (String name : session.getInputNames()) {
                    long[] data = name.contains("mask") ? mask : name.contains("type") ? new long[pair.length] : pair;
                    inputs.put(name, OnnxTensor.createTensor(env, new long[][] {data}));
                }
                try (OrtSession.Result r = session.run(inputs)) {
                    r.get(0);
                }
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }
    }
}
