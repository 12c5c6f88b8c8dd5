package io.github.jareranker.evaluation.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.jareranker.evaluation.Run;
import io.github.jareranker.evaluation.TieBreak;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CandidateDatasetTest {
    @TempDir
    Path tmp;

    @Test
    void readsCandidatesInlineJudgmentsAndFirstStageOrder() throws IOException {
        Path f = tmp.resolve("set.jsonl");
        Files.writeString(
                f,
                "{\"qid\": 7, \"query\": \"q\", \"candidates\": [{\"id\": \"a\", \"text\": "
                        + "\"x\"}, {\"id\": \"b\", \"title\": \"T\", \"text\": \"y\", \"relevance\": 2}]}\n"
                        + "\n{\"qid\": \"q2\", \"query\": \"r\", \"candidates\": [{\"id\": \"c\", \"text\": "
                        + "\"z\", \"score\": 1.5}, {\"id\": \"d\", \"text\": \"w\", \"score\": 2.5}]}\n");
        CandidateDataset d = CandidateDataset.read(f);
        assertThat(d.name()).isEqualTo("set");
        assertThat(d.candidateCount()).isEqualTo(4);
        assertThat(d.queries().get(0).candidates().get(1).passage(true)).isEqualTo("T y");
        assertThat(d.queries().get(0).candidates().get(0).passage(true)).isEqualTo("x");
        assertThat(d.queries().get(0).candidates().get(1).passage(false)).isEqualTo("y");
        assertThat(d.inlineQrels().queryIds()).containsExactly("7", "q2");
        assertThat(d.inlineQrels().judgments("7")).isEqualTo(Map.of("b", 2));
        Run first = d.firstStageRun("fs");
        assertThat(first.ranked("7", TieBreak.RANX))
                .extracting(Run.ScoredDoc::docId)
                .containsExactly("a", "b");
        assertThat(first.ranked("q2", TieBreak.RANX))
                .extracting(Run.ScoredDoc::docId)
                .containsExactly("d", "c");
    }

    @Test
    void errorsNameFileLineAndField() throws IOException {
        Path f = tmp.resolve("bad.jsonl");
        Files.writeString(f, "{\"qid\": \"q\", \"query\": \"q\", \"candidates\": [{\"id\": \"a\"}]}\n");
        assertThatThrownBy(() -> CandidateDataset.read(f))
                .hasMessageContaining(f + " line 1 candidates[0]: \"text\" must be a string");
        Files.writeString(
                f,
                "{\"qid\": \"q\", \"query\": \"q\", \"candidates\": "
                        + "[{\"id\": \"a\", \"text\": \"t\", \"relevance\": 0.5}]}\n");
        assertThatThrownBy(() -> CandidateDataset.read(f)).hasMessageContaining("\"relevance\" must be an integer");
        Files.writeString(
                f,
                "{\"qid\": \"q\", \"query\": \"q\", \"candidates\": "
                        + "[]}\n{\"qid\": \"q\", \"query\": \"q\", \"candidates\": []}\n");
        assertThatThrownBy(() -> CandidateDataset.read(f)).hasMessageContaining("line 2: query id q appears twice");
        Files.writeString(f, "not json\n");
        assertThatThrownBy(() -> CandidateDataset.read(f)).hasMessageContaining("line 1: not JSON");
    }
}
