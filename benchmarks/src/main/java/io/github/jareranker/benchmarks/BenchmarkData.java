package io.github.jareranker.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the benchmarks read JSQuAD from. */
final class BenchmarkData {
  private BenchmarkData() {}

  /**
   * JSQuAD v1.3 validation questions and paragraphs: {@code -Dja-reranker.data=DIR} or {@code
   * JA_RERANKER_DATA}, else {@code ../shared/data} beside the checkout, else what {@code
   * evaluation/data/fetch.sh} downloaded, else the subset committed under {@code evaluation/data}.
   */
  static Path jsquadValid() throws IOException {
    Path home = Path.of(System.getProperty("ja-reranker.home", ".")).toAbsolutePath().normalize();
    String override = System.getProperty("ja-reranker.data", System.getenv("JA_RERANKER_DATA"));
    Path[] candidates = {
      override == null || override.isBlank() ? null : Path.of(override).resolve("jsquad-v1.3/valid-v1.3.json"),
      home.resolve("../shared/data/jsquad-v1.3/valid-v1.3.json").normalize(),
      home.resolve("evaluation/data/full/jsquad-v1.3/valid-v1.3.json"),
    };
    for (Path p : candidates) {
      if (p != null && Files.isReadable(p)) {
        return p;
      }
    }
    throw new IOException(
        "JSQuAD v1.3 is not here: run evaluation/data/fetch.sh, or set JA_RERANKER_DATA to a directory holding"
            + " jsquad-v1.3/valid-v1.3.json");
  }
}
