// Optional cross-check of models/test-model against onnxruntime (Java) and DJL's HF tokenizers.
// Not part of any Maven module; run it with the JDK's single-file source launcher, e.g.
//
//   M=~/.m2/repository
//   CP=$M/com/microsoft/onnxruntime/onnxruntime/1.23.2/onnxruntime-1.23.2.jar:$M/ai/djl/huggingface/tokenizers/0.38.0/tokenizers-0.38.0.jar:$M/ai/djl/api/0.38.0/api-0.38.0.jar:$M/com/google/code/gson/gson/2.13.1/gson-2.13.1.jar:$M/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar
//   java -DENGINE_CACHE_DIR=/tmp/djl -cp "$CP" models/generator/verify/VerifyReference.java models/test-model models/test-model-int8
//
// Checks: every tokenization case (DJL with the case's strategy/max_length), every scoring pair
// (DJL ids == reference ids; ORT fp32 logit within scoring.fp32_tolerance; ORT int8 logit within
// scoring.int8_tolerance of logit_int8), padded batches (DJL batchEncode == reference; ORT
// logits), for both test-model/onnx/ and the single-file test-model-int8/onnx/.
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.util.PairList;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

public class VerifyReference {
    static int fails = 0;

    static long[] arr(JsonArray a) {
        long[] r = new long[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).getAsLong();
        return r;
    }

    static void fail(String s) {
        fails++;
        System.out.println("FAIL " + s);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        Path int8dir = Paths.get(args[1]);
        JsonObject ref = JsonParser.parseString(Files.readString(dir.resolve("reference.json"))).getAsJsonObject();
        JsonObject scoring = ref.getAsJsonObject("scoring");
        double fp32Tol = scoring.get("fp32_tolerance").getAsDouble();
        double int8Tol = scoring.get("int8_tolerance").getAsDouble();
        Path tj = dir.resolve("tokenizer.json");
        HuggingFaceTokenizer def = HuggingFaceTokenizer.newInstance(tj);

        int nt = 0;
        for (JsonElement e : ref.getAsJsonArray("tokenization_cases")) {
            JsonObject c = e.getAsJsonObject();
            int maxLen = c.get("max_length").getAsInt();
            String strategy = c.get("strategy").getAsString();
            HuggingFaceTokenizer.Builder b = HuggingFaceTokenizer.builder().optTokenizerPath(tj).optMaxLength(maxLen);
            if (strategy.equals("OnlySecond")) b.optTruncateSecondOnly(); else b.optTruncation(true);
            HuggingFaceTokenizer t = b.build();
            Encoding enc = c.get("kind").getAsString().equals("pair")
                    ? t.encode(c.get("query").getAsString(), c.get("document").getAsString())
                    : t.encode(c.get("text").getAsString());
            long[] exp = arr(c.getAsJsonArray("input_ids"));
            if (!Arrays.equals(enc.getIds(), exp)) {
                fail("tokens " + c.get("id").getAsString() + "\n  expected " + Arrays.toString(exp)
                        + "\n  got      " + Arrays.toString(enc.getIds()));
            }
            if (!Arrays.equals(enc.getTypeIds(), arr(c.getAsJsonArray("token_type_ids")))) fail("type ids " + c.get("id"));
            t.close();
            nt++;
        }
        System.out.println("tokenization cases: " + nt);
        for (JsonElement e : ref.getAsJsonArray("non_golden_examples")) {
            JsonObject c = e.getAsJsonObject();
            Encoding enc = def.encode(c.get("text").getAsString(), false, false);
            System.out.println("  non-golden " + c.get("text") + " djl=" + Arrays.toString(enc.getIds())
                    + " hf_expected_ids_informational=" + c.get("hf_expected_ids_informational"));
        }

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        String[][] models = {
            {"fp32", dir.resolve("model.onnx").toString()},
            {"int8", dir.resolve("onnx/model_qint8_avx2.onnx").toString()},
            {"int8 (test-model-int8)", int8dir.resolve("onnx/model_qint8_avx2.onnx").toString()},
        };
        for (String[] m : models) {
            boolean fp32 = m[0].equals("fp32");
            double tol = fp32 ? fp32Tol : int8Tol;
            try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
                 OrtSession s = env.createSession(m[1], so)) {
                List<Double> ds = new ArrayList<>();
                for (JsonElement qe : scoring.getAsJsonArray("queries")) {
                    JsonObject q = qe.getAsJsonObject();
                    for (JsonElement de : q.getAsJsonArray("documents")) {
                        JsonObject d = de.getAsJsonObject();
                        Encoding enc = def.encode(q.get("query").getAsString(), d.get("document").getAsString());
                        long[] ids = enc.getIds();
                        if (!Arrays.equals(ids, arr(d.getAsJsonArray("input_ids")))) fail("scoring tokens " + d.get("id"));
                        try (OnnxTensor ti = OnnxTensor.createTensor(env, new long[][] {ids});
                             OnnxTensor ta = OnnxTensor.createTensor(env, new long[][] {enc.getAttentionMask()});
                             OrtSession.Result r = s.run(Map.of("input_ids", ti, "attention_mask", ta))) {
                            float[][] out = (float[][]) r.get(0).getValue();
                            double exp = d.get(fp32 ? "logit" : "logit_int8").getAsDouble();
                            double diff = Math.abs(out[0][0] - exp);
                            ds.add(diff);
                            if (diff > tol) fail(m[0] + " logit " + d.get("id") + " " + out[0][0] + " vs " + exp);
                        }
                    }
                }
                Collections.sort(ds);
                int n = ds.size();
                System.out.printf("%s: %d pairs, |ort-ref| median %.3g max %.3g, >1e-4: %d%n", m[0], n, ds.get(n / 2),
                        ds.get(n - 1), ds.stream().filter(x -> x > 1e-4).count());
                for (JsonElement pe : ref.getAsJsonArray("padding_checks")) {
                    JsonObject p = pe.getAsJsonObject();
                    JsonArray ia = p.getAsJsonArray("input_ids");
                    JsonArray ma = p.getAsJsonArray("attention_mask");
                    long[][] ids = new long[ia.size()][];
                    long[][] am = new long[ia.size()][];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = arr(ia.get(i).getAsJsonArray());
                        am[i] = arr(ma.get(i).getAsJsonArray());
                    }
                    JsonObject q = null;
                    for (JsonElement qe : scoring.getAsJsonArray("queries")) {
                        if (qe.getAsJsonObject().get("id").getAsString().equals(p.get("query_id").getAsString())) q = qe.getAsJsonObject();
                    }
                    PairList<String, String> pl = new PairList<>();
                    for (JsonElement de : q.getAsJsonArray("documents")) {
                        pl.add(q.get("query").getAsString(), de.getAsJsonObject().get("document").getAsString());
                    }
                    Encoding[] be = def.batchEncode(pl);
                    for (int i = 0; i < be.length; i++) {
                        if (!Arrays.equals(be[i].getIds(), ids[i]) || !Arrays.equals(be[i].getAttentionMask(), am[i])) {
                            fail("batch tokens " + p.get("id") + " row " + i);
                        }
                    }
                    try (OnnxTensor ti = OnnxTensor.createTensor(env, ids);
                         OnnxTensor ta = OnnxTensor.createTensor(env, am);
                         OrtSession.Result r = s.run(Map.of("input_ids", ti, "attention_mask", ta))) {
                        float[][] out = (float[][]) r.get(0).getValue();
                        JsonArray exp = p.getAsJsonArray(fp32 ? "logits" : "logits_int8");
                        double md = 0;
                        for (int i = 0; i < out.length; i++) md = Math.max(md, Math.abs(out[i][0] - exp.get(i).getAsDouble()));
                        System.out.printf("  %s batch %dx%d: max |ort-ref| %.3g%n", p.get("id").getAsString(), ids.length,
                                ids[0].length, md);
                        if (md > tol) fail(m[0] + " batch logits " + p.get("id"));
                    }
                }
            }
        }
        System.out.println(fails == 0 ? "ALL OK" : "FAILURES: " + fails);
        System.exit(fails == 0 ? 0 : 1);
    }
}
