package io.github.jareranker.cli;

import static io.github.jareranker.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.jareranker.evaluation.report.ResultsFileOption;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One CLI vocabulary: every command that has {@code --json}, {@code --out} (results), {@code --data}, {@code
 * --rerank-docs}, {@code --metrics} or {@code --tie-break} takes it from the one mixin that defines it, so the option
 * means the same everywhere. Walks every command under {@link Main}.
 */
class CliVocabularyTest {
    /** Each shared option and the mixin that alone may declare it. */
    private static final Map<String, Class<?>> OWNERS = Map.of(
            "--json", JsonOption.class,
            "--data", JsquadDataOption.class,
            "--rerank-docs", RerankDocsOption.class,
            "--metrics", MetricsOption.class,
            "--tie-break", TieBreakOption.class);

    @Test
    void everySharedOptionComesFromItsMixin() {
        Map<String, List<String>> users = new TreeMap<>();
        for (Map.Entry<String, CommandLine> command : commands().entrySet()) {
            for (OptionSpec option : command.getValue().getCommandSpec().options()) {
                Class<?> owner = OWNERS.get(option.longestName());
                if (owner != null) {
                    assertThat(declaringClass(option))
                            .as(command.getKey() + " " + option.longestName())
                            .isEqualTo(owner);
                    users.computeIfAbsent(option.longestName(), k -> new ArrayList<>())
                            .add(command.getKey());
                }
            }
        }
        // the commands this vocabulary was made for: a command that drops a mixin shows here
        assertThat(users.get("--json"))
                .containsExactlyInAnyOrder(
                        "eval", "eval rerank", "eval solr", "eval jsquad", "bench-cascade", "bench-pipeline");
        assertThat(users.get("--data"))
                .containsExactlyInAnyOrder(
                        "soak",
                        "bench-solr",
                        "bench-cascade",
                        "bench-pipeline",
                        "bench-ab",
                        "eval jsquad",
                        "eval longpages");
        assertThat(users.get("--rerank-docs"))
                .containsExactlyInAnyOrder(
                        "demo",
                        "soak",
                        "bench-solr",
                        "bench-cascade",
                        "bench-pipeline",
                        "bench-ab",
                        "eval solr",
                        "eval jsquad",
                        "eval longpages");
    }

    @Test
    void jsonIsAFlagEverywhereAndAResultsFileIsOut() {
        for (Map.Entry<String, CommandLine> command : commands().entrySet()) {
            OptionSpec json = command.getValue().getCommandSpec().findOption("--json");
            if (json != null) {
                assertThat(json.arity().max())
                        .as(command.getKey() + " --json takes no value")
                        .isZero();
            }
            OptionSpec out = command.getValue().getCommandSpec().findOption("--out");
            if (out != null) {
                assertThat(out.arity().min())
                        .as(command.getKey() + " --out takes a file")
                        .isEqualTo(1);
            }
        }
        for (String resultsCommand : List.of("soak", "bench-solr")) {
            OptionSpec out = commands().get(resultsCommand).getCommandSpec().findOption("--out");
            assertThat(out).as(resultsCommand + " --out").isNotNull();
            assertThat(declaringClass(out)).isEqualTo(ResultsFileOption.class);
        }
    }

    @Test
    void aRerankDocsValueThatIsNoNumberIsAUsageErrorNamingTheOption() {
        String[] r = run("eval", "longpages", "--rerank-docs", "many");
        assertThat(r[0]).as(r[2]).isEqualTo("2");
        assertThat(r[2]).contains("Invalid value for option '--rerank-docs': 'many' is not an int");
    }

    @Test
    void theOldResultsFileSpellingIsAUsageError() {
        String[] r = run("soak", "--json", "soak.json");
        assertThat(r[0]).as(r[2]).isEqualTo("2");
        assertThat(r[2]).contains("--json");
    }

    @Test
    void eachCommandShowsItsOwnRerankDocsDefault() {
        assertThat(flat(run("soak", "--help")[1])).contains("rescores per query (default: 50)");
        assertThat(flat(run("eval", "solr", "--help")[1]))
                .contains("rescores per query (default: K, the hits collected)");
        // picocli may wrap the list after a comma
        assertThat(run("eval", "jsquad", "--help")[1].replaceAll("\\s+", ""))
                .contains("(default:map@10,ndcg@10,recall@100)");
    }

    private static String flat(String s) {
        return s.replaceAll("\\s+", " ");
    }

    /** Every command by its name under ja-reranker ("eval solr"), help left out. */
    private static Map<String, CommandLine> commands() {
        Map<String, CommandLine> all = new TreeMap<>();
        collect(Main.commandLine(), "", all);
        return all;
    }

    private static void collect(CommandLine parent, String prefix, Map<String, CommandLine> all) {
        parent.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                String qualified = prefix.isEmpty() ? name : prefix + " " + name;
                all.put(qualified, sub);
                collect(sub, qualified, all);
            }
        });
    }

    private static Class<?> declaringClass(OptionSpec option) {
        Object member = option.userObject();
        if (member instanceof Field f) {
            return f.getDeclaringClass();
        }
        return member instanceof Member m ? m.getDeclaringClass() : null;
    }
}
