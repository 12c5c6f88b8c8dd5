package io.github.jareranker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.jareranker.testing.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Runs the documented example end to end and checks it prints both rankings and an explanation. */
class KuromojiRerankExampleTest {
  @Test
  void printsBm25AndRerankedLists() throws Exception {
    String configured = System.getProperty("ja-reranker.example.model");
    Path model = configured == null ? TestModels.testModel() : TestModels.repoRoot().resolve(configured);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      KuromojiRerankExample.run(model, "送料は無料になりますか", out);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(printed);
    assertThat(printed).contains("== BM25").contains("== cross-encoder").contains("faq-01");
    assertThat(printed).contains("combined first and second pass score").contains("first pass score");
  }
}
