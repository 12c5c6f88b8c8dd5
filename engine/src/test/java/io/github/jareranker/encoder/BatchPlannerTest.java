package io.github.jareranker.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {

    @Test
    void everyPairOnceAndBudgetsRespected() {
        Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            int n = random.nextInt(120);
            int[] lengths = new int[n];
            for (int i = 0; i < n; i++) {
                lengths[i] = 5 + random.nextInt(600);
            }
            int budget = 64 + random.nextInt(8000);
            int maxSize = 1 + random.nextInt(40);
            List<int[]> batches = BatchPlanner.plan(lengths, budget, maxSize);

            boolean[] seen = new boolean[n];
            for (int[] batch : batches) {
                assertThat(batch.length).isBetween(1, maxSize);
                int longest = 0;
                for (int k = 0; k < batch.length; k++) {
                    assertThat(seen[batch[k]])
                            .as("index %d appears twice", batch[k])
                            .isFalse();
                    seen[batch[k]] = true;
                    longest = Math.max(longest, lengths[batch[k]]);
                    if (k > 0) {
                        assertThat(lengths[batch[k]]).isGreaterThanOrEqualTo(lengths[batch[k - 1]]);
                    }
                }
                // A batch may exceed the budget only when it is a single over-long pair.
                if (batch.length > 1) {
                    assertThat((long) batch.length * longest).isLessThanOrEqualTo(budget);
                }
            }
            for (int i = 0; i < n; i++) {
                assertThat(seen[i]).as("index %d missing", i).isTrue();
            }
        }
    }

    @Test
    void sortsByLengthSoBatchesHoldSimilarLengths() {
        int[] lengths = {400, 10, 390, 12, 11, 405};
        List<int[]> batches = BatchPlanner.plan(lengths, 1000, 32);
        List<List<Integer>> asLists = new ArrayList<>();
        for (int[] b : batches) {
            List<Integer> l = new ArrayList<>();
            for (int i : b) {
                l.add(i);
            }
            asLists.add(l);
        }
        // Short ones together (3 x 12 = 36 tokens), then long ones two at a time (2 x 400 <= 1000 < 3 x 405).
        assertThat(asLists).containsExactly(List.of(1, 4, 3), List.of(2, 0), List.of(5));
    }

    @Test
    void equalLengthsKeepInputOrder() {
        List<int[]> batches = BatchPlanner.plan(new int[] {7, 7, 7, 7}, 14, 32);
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0)).containsExactly(0, 1);
        assertThat(batches.get(1)).containsExactly(2, 3);
    }

    @Test
    void emptyInputGivesNoBatches() {
        assertThat(BatchPlanner.plan(new int[0], 100, 10)).isEmpty();
    }
}
