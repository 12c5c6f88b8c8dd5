package io.github.jareranker.solr;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The name of one metric of a {@code jarerank} query parser, independent of how a Solr major publishes it: a {@code
 * leaf} ("pairs"), an optional {@code group} ("pairCache", "skipped", "pool") and, for per-model figures, the model's
 * name. Solr 9 publishes it as {@code QUERYPARSER.<parser>.[<model>.][<group>.]<leaf>} in the core's registry; Solr 10
 * as the OpenTelemetry instrument {@code solr_jarerank_[<group>_]<leaf>} (snake case) with the core's attributes plus
 * {@code name=<parser>} and, per model, {@code model=<model>} (see {@code MetricsBridge} in each major's source folder).
 * {@link #dotted()} is the Solr 9 form after the parser name, which {@code RerankMetricsReader} takes on both majors.
 */
public record MetricName(String model, String group, String leaf) {
    /** The groups a metric can have; a first part that is none of them names a model. */
    private static final Set<String> GROUPS = Set.of("pairCache", "skipped", "pool");

    public MetricName {
        Objects.requireNonNull(leaf, "leaf");
    }

    /**
     * The name written {@code [<model>.][<group>.]<leaf>} ({@link #dotted()}), as tools and tests ask for it: {@code
     * "pairs"}, {@code "pairCache.hits"}, {@code "xsmall.pool.workers"}, {@code "xsmall.coresSharingModel"}.
     */
    public static MetricName parse(String dotted) {
        String[] p = dotted.split("\\.", -1);
        switch (p.length) {
            case 1:
                return of(p[0]);
            case 2:
                return GROUPS.contains(p[0]) ? of(p[0], p[1]) : ofModel(p[0], null, p[1]);
            case 3:
                return ofModel(p[0], p[1], p[2]);
            default:
                throw new IllegalArgumentException("not a jarerank metric name: " + dotted);
        }
    }

    /** The groups a metric name can have ({@code pairCache}, {@code skipped}, {@code pool}). */
    public static Set<String> groups() {
        return GROUPS;
    }

    static MetricName of(String leaf) {
        return new MetricName(null, null, leaf);
    }

    static MetricName of(String group, String leaf) {
        return new MetricName(null, group, leaf);
    }

    static MetricName ofModel(String model, String group, String leaf) {
        return new MetricName(Objects.requireNonNull(model, "model"), group, leaf);
    }

    /** {@code [<model>.][<group>.]<leaf>}: the Solr 9 name after {@code QUERYPARSER.<parser>.}. */
    public String dotted() {
        return String.join(".", parts());
    }

    /** {@code [<model>, ][<group>, ]<leaf>}. */
    List<String> parts() {
        List<String> parts = new ArrayList<>(3);
        if (model != null) {
            parts.add(model);
        }
        if (group != null) {
            parts.add(group);
        }
        parts.add(leaf);
        return parts;
    }

    /** {@code solr_jarerank_[<group>_]<leaf>} in snake case: the Solr 10 (OpenTelemetry / Prometheus) name. */
    public String otelName() {
        StringBuilder b = new StringBuilder("solr_jarerank_");
        if (group != null) {
            b.append(snake(group)).append('_');
        }
        return b.append(snake(leaf)).toString();
    }

    private static String snake(String camel) {
        StringBuilder b = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                b.append('_').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
