package io.github.jareranker.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every results file records its commit, date, machine and command before the result (what DocsResultsTest reads). */
class ResultsFileTest {
    @TempDir
    Path tmp;

    @Test
    void writesProvenanceFirstAndTheResultAfterIt() throws Exception {
        Path file = tmp.resolve("nested/result.json");
        ResultsFile.write(
                file, ResultsFile.command("soak", List.of("--duration", "1m")), "nothing else", Map.of("queries", 7));
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        // This test runs inside the project's git checkout (CI clones it), so the commit is a real one.
        assertThat(root.path("commit").asText()).matches("[0-9a-f]{40}");
        assertThat(OffsetDateTime.parse(root.path("date").asText())).isNotNull();
        assertThat(root.path("provenance").path("machine").asText()).contains("logical cores", "Java");
        assertThat(root.path("provenance").path("command").asText()).isEqualTo("soak --duration 1m");
        assertThat(root.path("provenance").path("load").asText()).isEqualTo("nothing else");
        assertThat(root.path("provenance").path("worktree").asText()).isIn("clean", "+local changes");
        assertThat(root.path("queries").asInt()).isEqualTo(7);
        assertThat(root.fieldNames()).toIterable().startsWith("commit", "date", "provenance");
    }

    @Test
    void refusesAResultFieldThatWouldHideTheProvenance() {
        assertThatThrownBy(() -> ResultsFile.write(tmp.resolve("x.json"), "x", null, Map.of("commit", "abc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("commit");
    }
}
