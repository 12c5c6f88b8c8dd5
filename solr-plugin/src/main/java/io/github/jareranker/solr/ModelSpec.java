package io.github.jareranker.solr;

import io.github.jareranker.encoder.Activation;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.ExecutionDevice;
import io.github.jareranker.encoder.Truncation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.solr.common.util.NamedList;

/**
 * One named model of the {@code jarerank} query parser, as configured in solrconfig.xml. Immutable
 * and validated on construction; {@link #options(Path)} resolves the model directory (relative
 * paths against the Solr home) into the {@link CrossEncoderOptions} that key the shared model
 * registry.
 */
public final class ModelSpec {
  static final String MODEL_DIRECTORY = "modelDirectory";
  static final String ONNX_FILE = "onnxFile";
  static final String DEVICE = "device";
  static final String THREADS = "threads";
  static final String MAX_LENGTH = "maxLength";
  static final String MAX_BATCH_TOKENS = "maxBatchTokens";
  static final String MAX_BATCH_SIZE = "maxBatchSize";
  static final String TRUNCATION = "truncation";
  static final String ACTIVATION = "activation";
  static final String FIELDS = "fields";
  static final String TIMEOUT_MS = "timeoutMs";
  static final String FAIL_OPEN = "failOpen";

  private static final Set<String> KEYS =
      new TreeSet<>(
          Arrays.asList(
              MODEL_DIRECTORY, ONNX_FILE, DEVICE, THREADS, MAX_LENGTH, MAX_BATCH_TOKENS,
              MAX_BATCH_SIZE, TRUNCATION, ACTIVATION, FIELDS, TIMEOUT_MS, FAIL_OPEN));

  private final String name;
  private final String modelDirectory;
  private final String onnxFile;
  private final ExecutionDevice device;
  private final int threads;
  private final Integer maxLength;
  private final int maxBatchTokens;
  private final Integer maxBatchSize;
  private final Truncation truncation;
  private final Activation activation;
  private final List<String> fields;
  private final long timeoutMs;
  private final boolean failOpen;

  private ModelSpec(String name, NamedList<?> args) {
    this.name = name;
    for (Map.Entry<String, ?> e : args) {
      if (!KEYS.contains(e.getKey())) {
        throw ConfigException.of(
            path(e.getKey()), "is not a known model setting; expected one of " + KEYS);
      }
    }
    String dir = string(args, MODEL_DIRECTORY, null);
    if (dir == null || dir.isBlank()) {
      throw ConfigException.of(
          path(MODEL_DIRECTORY),
          "is required: the directory holding tokenizer.json and the ONNX file (absolute, or"
              + " relative to the Solr home)");
    }
    this.modelDirectory = dir.trim();
    String onnx = string(args, ONNX_FILE, null);
    this.onnxFile = onnx == null || onnx.isBlank() ? null : onnx.trim();
    try {
      this.device = ExecutionDevice.parse(string(args, DEVICE, "cpu"));
    } catch (IllegalArgumentException ex) {
      throw ConfigException.of(path(DEVICE), ex.getMessage());
    }
    this.threads = integer(args, THREADS, 0, 0);
    Integer ml = args.get(MAX_LENGTH) == null ? null : integer(args, MAX_LENGTH, 0, 8);
    this.maxLength = ml;
    this.maxBatchTokens = integer(args, MAX_BATCH_TOKENS, CrossEncoderOptions.DEFAULT_MAX_BATCH_TOKENS, 1);
    this.maxBatchSize = args.get(MAX_BATCH_SIZE) == null ? null : integer(args, MAX_BATCH_SIZE, 0, 1);
    try {
      this.truncation = Truncation.parse(string(args, TRUNCATION, "longest_first"));
    } catch (IllegalArgumentException ex) {
      throw ConfigException.of(path(TRUNCATION), ex.getMessage());
    }
    try {
      this.activation = Activation.parse(string(args, ACTIVATION, "sigmoid"));
    } catch (IllegalArgumentException ex) {
      throw ConfigException.of(path(ACTIVATION), ex.getMessage());
    }
    List<String> f = splitFields(string(args, FIELDS, "title,body"));
    if (f.isEmpty()) {
      throw ConfigException.of(path(FIELDS), "must name at least one stored text field, e.g. title,body");
    }
    this.fields = List.copyOf(f);
    this.timeoutMs = integer(args, TIMEOUT_MS, 0, 0);
    this.failOpen = bool(args, FAIL_OPEN, true);
    try {
      options(Path.of(""));
    } catch (IllegalArgumentException ex) {
      throw ConfigException.of(path(ONNX_FILE + "/" + MAX_LENGTH), ex.getMessage());
    }
  }

  /**
   * Parses and validates one {@code <lst name="NAME">} of the {@code models} list.
   *
   * @throws ConfigException naming the setting and the fix
   */
  public static ModelSpec parse(String name, NamedList<?> args) {
    if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
      throw ConfigException.of(
          RerankParams.MODELS, "model name '" + name + "' must match [A-Za-z0-9_.-]+");
    }
    return new ModelSpec(name, args);
  }

  /** The name requests use ({@code model=NAME}). */
  public String name() {
    return name;
  }

  /** The model directory as configured (not yet resolved). */
  public String modelDirectory() {
    return modelDirectory;
  }

  /** Default stored fields read for a hit's text. */
  public List<String> fields() {
    return fields;
  }

  /** Per-request scoring budget in milliseconds; 0 = no limit of its own (Solr's timeAllowed still applies). */
  public long timeoutMs() {
    return timeoutMs;
  }

  /** True: on failure or timeout return first-pass order with partialResults; false: fail the request. */
  public boolean failOpen() {
    return failOpen;
  }

  /** The activation applied to the model logit. */
  public Activation activation() {
    return activation;
  }

  /**
   * The engine options: the directory resolved against {@code baseDir} when relative.
   *
   * @throws IllegalArgumentException if an engine option is out of range
   */
  public CrossEncoderOptions options(Path baseDir) {
    Path dir = Path.of(modelDirectory).isAbsolute() ? Path.of(modelDirectory) : baseDir.resolve(modelDirectory);
    CrossEncoderOptions.Builder b =
        CrossEncoderOptions.builder(dir)
            .onnxFile(onnxFile)
            .device(device)
            .intraOpThreads(threads)
            .maxBatchTokens(maxBatchTokens)
            .truncation(truncation)
            .activation(activation);
    if (maxLength != null) {
      b.maxLength(maxLength);
    }
    if (maxBatchSize != null) {
      b.maxBatchSize(maxBatchSize);
    }
    return b.build();
  }

  private String path(String key) {
    return RerankParams.MODELS + "/" + name + "/" + key;
  }

  static List<String> splitFields(String value) {
    List<String> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    for (String s : value.split("[,\\s]+")) {
      if (!s.isBlank() && !out.contains(s.trim())) {
        out.add(s.trim());
      }
    }
    return out;
  }

  private String string(NamedList<?> args, String key, String def) {
    Object v = args.get(key);
    if (v == null) {
      return def;
    }
    if (v instanceof NamedList || v instanceof List) {
      throw ConfigException.of(path(key), "must be a single value, got a list");
    }
    return v.toString();
  }

  private int integer(NamedList<?> args, String key, int def, int min) {
    Object v = args.get(key);
    if (v == null) {
      return def;
    }
    long n;
    try {
      n = v instanceof Number ? ((Number) v).longValue() : Long.parseLong(v.toString().trim());
    } catch (NumberFormatException ex) {
      throw ConfigException.of(path(key), "must be an integer >= " + min + ", got '" + v + "'");
    }
    if (n < min || n > Integer.MAX_VALUE) {
      throw ConfigException.of(path(key), "must be an integer >= " + min + ", got " + n);
    }
    return (int) n;
  }

  private boolean bool(NamedList<?> args, String key, boolean def) {
    Object v = args.get(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    String s = v.toString().trim().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw ConfigException.of(path(key), "must be true or false, got '" + v + "'");
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ModelSpec)) {
      return false;
    }
    ModelSpec m = (ModelSpec) o;
    return name.equals(m.name)
        && modelDirectory.equals(m.modelDirectory)
        && Objects.equals(onnxFile, m.onnxFile)
        && device.equals(m.device)
        && threads == m.threads
        && Objects.equals(maxLength, m.maxLength)
        && maxBatchTokens == m.maxBatchTokens
        && Objects.equals(maxBatchSize, m.maxBatchSize)
        && truncation == m.truncation
        && activation == m.activation
        && fields.equals(m.fields)
        && timeoutMs == m.timeoutMs
        && failOpen == m.failOpen;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        name, modelDirectory, onnxFile, device, threads, maxLength, maxBatchTokens, maxBatchSize,
        truncation, activation, fields, timeoutMs, failOpen);
  }

  @Override
  public String toString() {
    return "ModelSpec{" + name + ": " + modelDirectory + (onnxFile == null ? "" : " [" + onnxFile + "]")
        + ", device=" + device + ", threads=" + threads + ", maxLength=" + (maxLength == null ? "(tokenizer)" : maxLength)
        + ", maxBatchTokens=" + maxBatchTokens + ", maxBatchSize=" + (maxBatchSize == null ? "(auto)" : maxBatchSize) + ", truncation=" + truncation
        + ", activation=" + activation + ", fields=" + fields + ", timeoutMs=" + timeoutMs + ", failOpen=" + failOpen + '}';
  }
}
