package io.github.jareranker.solr;

import io.github.jareranker.encoder.Activation;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.EngineOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
    static final String FIELDS = "fields";
    static final String TIMEOUT_MS = "timeoutMs";
    static final String FAIL_OPEN = "failOpen";
    /** The engine settings are {@link EngineOption}'s keys; these are the plugin's own. */
    private static final List<String> PLUGIN_KEYS = List.of(MODEL_DIRECTORY, FIELDS, TIMEOUT_MS, FAIL_OPEN);
    /** Settings renamed since earlier versions, with what to write instead. */
    private static final Map<String, String> RENAMED = Map.of(
            "threads",
            "was renamed: write intraOpThreads (ONNX Runtime threads inside one run, default 1) and, if"
                    + " needed, workers (runs at once, default one per core)");

    private final String name;
    private final String modelDirectory;
    /** Engine settings as written, in {@link EngineOption} order: they key {@link #equals}. */
    private final Map<String, String> engineSettings;

    private final List<String> fields;
    private final long timeoutMs;
    private final boolean failOpen;
    private final Activation activation;
    private final PassageSettings passages;
    private final boolean passagesByDefault;

    private ModelSpec(String name, NamedList<?> args) {
        this.name = name;
        ConfigValues config = new ConfigValues(RerankParams.MODELS + "/" + name, args);
        Set<String> known = new TreeSet<>(PLUGIN_KEYS);
        known.addAll(PassageSettings.KEYS);
        known.addAll(EngineOption.keys());
        for (Map.Entry<String, ?> e : args) {
            if (RENAMED.containsKey(e.getKey())) {
                throw ConfigException.of(path(e.getKey()), RENAMED.get(e.getKey()));
            }
            if (!known.contains(e.getKey())) {
                throw ConfigException.of(path(e.getKey()), "is not a known model setting; expected one of " + known);
            }
        }
        String dir = config.string(MODEL_DIRECTORY, null);
        if (dir == null || dir.isBlank()) {
            throw ConfigException.of(
                    path(MODEL_DIRECTORY),
                    "is required: the directory holding tokenizer.json and the ONNX file (absolute, or"
                            + " relative to the Solr home)");
        }
        this.modelDirectory = dir.trim();
        Map<String, String> settings = new LinkedHashMap<>();
        for (EngineOption option : EngineOption.values()) {
            String value = config.string(option.key(), null);
            // Empty means the engine's default, so that ${jareranker.x:} placeholders can leave it unset.
            if (value != null && !value.isBlank()) {
                settings.put(option.key(), value.trim());
            }
        }
        this.engineSettings = Collections.unmodifiableMap(settings);
        List<String> f = splitFields(config.string(FIELDS, "title,body"));
        if (f.isEmpty()) {
            throw ConfigException.of(path(FIELDS), "must name at least one stored text field, e.g. title,body");
        }
        this.fields = List.copyOf(f);
        this.timeoutMs = config.integer(TIMEOUT_MS, 0, 0);
        this.failOpen = config.bool(FAIL_OPEN, true);
        this.passages = PassageSettings.parse(config);
        this.passagesByDefault = passages.enabled();
        // Validate the engine settings now, so that a bad value fails the core load naming its path.
        this.activation = validated(CrossEncoderOptions.builder()).activation();
    }

    /**
     * Parses and validates one {@code <lst name="NAME">} of the {@code models} list.
     *
     * @throws ConfigException naming the setting and the fix
     */
    public static ModelSpec parse(String name, NamedList<?> args) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
            throw ConfigException.of(RerankParams.MODELS, "model name '" + name + "' must match [A-Za-z0-9_.-]+");
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

    /** Passage scoring defaults and limits of this model. */
    PassageSettings passages() {
        return passages;
    }

    /** Whether the model reads passages unless a request says {@code passages=none}. */
    boolean passagesByDefault() {
        return passagesByDefault;
    }

    /** The activation applied to the model logit. */
    public Activation activation() {
        return activation;
    }

    /**
     * The engine options: the directory resolved against {@code baseDir} when relative, every engine
     * setting translated by {@link EngineOption}.
     *
     * @throws ConfigException naming the setting's path when an engine setting is invalid
     */
    public CrossEncoderOptions options(Path baseDir) {
        Path dir = Path.of(modelDirectory).isAbsolute() ? Path.of(modelDirectory) : baseDir.resolve(modelDirectory);
        return validated(CrossEncoderOptions.builder(dir)).build();
    }

    /**
     * {@code b} with every engine setting applied and checked.
     *
     * @throws ConfigException naming the setting's path when one is invalid
     */
    private CrossEncoderOptions.Builder validated(CrossEncoderOptions.Builder b) {
        for (Map.Entry<String, String> e : engineSettings.entrySet()) {
            try {
                b.set(e.getKey(), e.getValue());
            } catch (IllegalArgumentException ex) {
                throw ConfigException.of(path(e.getKey()), ex.getMessage());
            }
        }
        try {
            return b.validate();
        } catch (IllegalArgumentException ex) {
            // build() names the option first in its message ("maxLength must be >= 8 ...").
            String key = EngineOption.keys().stream()
                    .filter(k -> String.valueOf(ex.getMessage()).startsWith(k))
                    .findFirst()
                    .orElse("");
            throw ConfigException.of(key.isEmpty() ? RerankParams.MODELS + "/" + name : path(key), ex.getMessage());
        }
    }

    String path(String key) {
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

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ModelSpec)) {
            return false;
        }
        ModelSpec m = (ModelSpec) o;
        return name.equals(m.name)
                && modelDirectory.equals(m.modelDirectory)
                && engineSettings.equals(m.engineSettings)
                && fields.equals(m.fields)
                && timeoutMs == m.timeoutMs
                && failOpen == m.failOpen
                && passages.equals(m.passages);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, modelDirectory, engineSettings, fields, timeoutMs, failOpen, passages);
    }

    @Override
    public String toString() {
        return "ModelSpec{" + name + ": " + modelDirectory + ", " + engineSettings + ", fields=" + fields
                + ", timeoutMs=" + timeoutMs + ", failOpen=" + failOpen + ", " + passages + '}';
    }
}
