package io.github.jareranker.cli;

import static io.github.jareranker.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The command lists of {@code --help} show each subcommand's whole first sentence, not a cut line. */
class HelpTest {
    private static String flat(String s) {
        return s.replaceAll("\\s+", " ");
    }

    @Test
    void mainHelpListsTheDemoWithItsWholeSentence() {
        String[] r = run("--help");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(flat(r[1]))
                .contains(
                        "demo Start Solr with the ja-reranker plugin on localhost, index a small Japanese sample site,"
                                + " compare BM25 with cross-encoder reranking, then keep serving until Ctrl-C.");
    }

    @Test
    void evalHelpListsJsquadWithItsWholeSentence() {
        String[] r = run("eval", "--help");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(flat(r[1]))
                .contains(
                        "jsquad JSQuAD retrieval benchmark: index the JSQuAD paragraphs into Solr (example configset),")
                .contains("(rq={!jarerank reRankDocs=100}: the BM25 top 100, reordered).");
    }
}
