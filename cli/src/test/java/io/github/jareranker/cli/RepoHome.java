package io.github.jareranker.cli;

import io.github.jareranker.evaluation.data.DataLocations;
import io.github.jareranker.testing.TestModels;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Points the CLI at this checkout ({@code ja-reranker.home}) for a test class and clears it after: {@code
 * @ExtendWith(RepoHome.class)}. Also where the committed JSQuAD slice is, for commands run on committed data only.
 */
final class RepoHome implements BeforeAllCallback, AfterAllCallback {
    private static final String PROPERTY = "ja-reranker.home";

    @Override
    public void beforeAll(ExtensionContext context) {
        System.setProperty(PROPERTY, TestModels.repoRoot().toString());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.clearProperty(PROPERTY);
    }

    /** The committed JSQuAD slice (evaluation/data/jsquad), which a fresh clone has. */
    static Path committedJsquad() {
        return DataLocations.vendoredJsquad(TestModels.repoRoot());
    }
}
