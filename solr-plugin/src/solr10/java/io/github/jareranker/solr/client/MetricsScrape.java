package io.github.jareranker.solr.client;

import io.github.jareranker.solr.MetricName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Solr 10's {@code /admin/metrics}: OpenTelemetry instruments in Prometheus text, one sample a line: {@code
 * solr_jarerank_pair_cache_hits_total{core="demo",name="jarerank",...} 12.0}. Counters end in {@code _total},
 * histograms give {@code _count} (timers in {@code _milliseconds_count}), gauges stand alone; the model of a per-model
 * figure is the {@code model} label. A sample is turned back into its dotted {@link MetricName} by matching the
 * parser's known names. The Solr 9 counterpart (src/solr9) reads Dropwizard JSON.
 */
final class MetricsScrape {
    private static final Pattern SAMPLE = Pattern.compile("^(solr_jarerank_[a-z0-9_]+)\\{(.*)\\}\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final String[] SUFFIXES = {"_total", "_milliseconds_count", "_count", ""};

    private MetricsScrape() {}

    static String query(String parser) {
        return "/admin/metrics?wt=prometheus";
    }

    static List<MetricSample> parse(String body, String parser) {
        List<MetricSample> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            Matcher m = SAMPLE.matcher(line.trim());
            if (!m.matches()) {
                continue;
            }
            Map<String, String> labels = labels(m.group(2));
            if (!parser.equals(labels.get("name")) || labels.get("core") == null) {
                continue;
            }
            String dotted = dotted(m.group(1), labels.get("model"));
            if (dotted != null) {
                out.add(new MetricSample(
                        labels.get("core"), labels.get("collection"), dotted, Double.parseDouble(m.group(3))));
            }
        }
        return out;
    }

    /** The dotted name of a Prometheus sample name, or null for a histogram's buckets and sums. */
    private static String dotted(String sampleName, String model) {
        for (String suffix : SUFFIXES) {
            if (!sampleName.endsWith(suffix)) {
                continue;
            }
            String base = sampleName.substring(0, sampleName.length() - suffix.length());
            if (base.endsWith("_bucket") || base.endsWith("_sum") || base.endsWith("_created")) {
                return null;
            }
            String rest = base.substring("solr_jarerank_".length());
            for (String group : MetricName.groups()) {
                String g = new MetricName(null, group, "x").otelName();
                String groupPrefix = g.substring("solr_jarerank_".length(), g.length() - 1);
                if (rest.startsWith(groupPrefix)) {
                    return new MetricName(model, group, camel(rest.substring(groupPrefix.length()))).dotted();
                }
            }
            return new MetricName(model, null, camel(rest)).dotted();
        }
        return null;
    }

    private static String camel(String snake) {
        StringBuilder b = new StringBuilder(snake.length());
        boolean up = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new HashMap<>();
        Matcher m = LABEL.matcher(text);
        while (m.find()) {
            labels.put(m.group(1), m.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return labels;
    }
}
