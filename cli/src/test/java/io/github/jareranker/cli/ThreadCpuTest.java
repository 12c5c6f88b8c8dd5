package io.github.jareranker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
    @Test
    void parsesUserPlusSystemTicksAndFoldsDigitsOfTheName() {
        // a comm with a space and a parenthesis, as Linux may report it; utime 250, stime 30
        String stat = "4242 (qtp12) (x-34) S 1 4242 4242 0 -1 4194368 2000 0 0 0 250 30 0 0 20 0 40 0 100 0 0";
        Optional<Map.Entry<String, Long>> e = ThreadCpu.parse(stat);
        assertThat(e).isPresent();
        assertThat(e.get().getKey()).isEqualTo("qtpN) (x-N");
        assertThat(e.get().getValue()).isEqualTo(280L);
        assertThat(ThreadCpu.parse("garbage")).isEmpty();
        assertThat(ThreadCpu.group("ja-reranker-inf")).isEqualTo("ja-reranker-inf");
        assertThat(ThreadCpu.group("GC Thread#3")).isEqualTo("GC Thread#N");
    }

    @Test
    void aBusyThreadShowsUpUnderItsGroup() throws Exception {
        Optional<ThreadCpu> before = ThreadCpu.snapshot();
        assumeTrue(before.isPresent(), "no /proc/self/task on this system");
        long[] sink = new long[1];
        CountDownLatch spun = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread busy = new Thread(
                () -> {
                    long end = System.nanoTime() + 400_000_000L;
                    long x = 0;
                    while (System.nanoTime() < end) {
                        x += x * 31 + 7;
                    }
                    sink[0] = x;
                    spun.countDown();
                    try {
                        release.await(); // still alive (listed) when the snapshot is taken
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "cpu-test-busy");
        busy.start();
        spun.await();
        Map<String, Double> spent = ThreadCpu.snapshot().orElseThrow().secondsSince(before.get());
        release.countDown();
        busy.join();
        assertThat(spent.get("cpu-test-busy")).as("%s", spent).isGreaterThan(0.1);
    }
}
