package io.livequeue.gateway.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.livequeue.gateway.socket.FrameBudget.Verdict;
import org.junit.jupiter.api.Test;

/** The token bucket on a clock of its own: the burst, the refill, one warning a second, the close. */
class FrameBudgetTest {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;
    /** Any start: System.nanoTime() may be negative. */
    private static final long T0 = -5 * SECOND;

    @Test
    void aBurstIsAcceptedAtOnceAndThenOneFramePerIntervalComesBack() {
        FrameBudget budget = new FrameBudget(10, 5, 0);
        for (int i = 0; i < 5; i++) {
            assertThat(budget.take(T0)).as("frame " + i).isEqualTo(Verdict.ACCEPT);
        }
        assertThat(budget.take(T0)).isEqualTo(Verdict.DROP_AND_WARN);
        assertThat(budget.take(T0 + 50 * MS)).isEqualTo(Verdict.DROP);
        assertThat(budget.take(T0 + 100 * MS)).as("one interval (100 ms) later").isEqualTo(Verdict.ACCEPT);
        assertThat(budget.take(T0 + 100 * MS)).isEqualTo(Verdict.DROP);
        // idle for a second: the whole burst is back, and no more
        long later = T0 + 1_200 * MS;
        for (int i = 0; i < 5; i++) {
            assertThat(budget.take(later)).isEqualTo(Verdict.ACCEPT);
        }
        assertThat(budget.take(later)).isNotEqualTo(Verdict.ACCEPT);
    }

    @Test
    void aSteadyRateWithinTheAllowanceIsNeverDropped() {
        FrameBudget budget = new FrameBudget(100, 1, 0);
        for (int i = 0; i < 1_000; i++) {
            assertThat(budget.take(T0 + i * 10 * MS)).isEqualTo(Verdict.ACCEPT);
        }
    }

    @Test
    void aFloodIsWarnedAboutOnceASecondWithTheCountOfDroppedFrames() {
        FrameBudget budget = new FrameBudget(1, 1, 0);
        assertThat(budget.take(T0)).isEqualTo(Verdict.ACCEPT);
        int warnings = 0;
        int dropped = 0;
        // 3 seconds at one frame a millisecond: about 3 accepted, the rest dropped
        for (long t = T0 + MS; t < T0 + 3 * SECOND; t += MS) {
            Verdict verdict = budget.take(t);
            if (verdict == Verdict.DROP_AND_WARN) {
                warnings++;
                dropped += budget.takeDropped();
            }
        }
        assertThat(warnings).isEqualTo(3);
        assertThat(dropped + budget.takeDropped()).isBetween(2_990, 2_999);
    }

    @Test
    void dropsThatGoOnForTheCloseTimeAskForTheSocketToBeClosedButAPauseStartsAfresh() {
        FrameBudget budget = new FrameBudget(1, 1, 3 * SECOND);
        assertThat(budget.take(T0)).isEqualTo(Verdict.ACCEPT);
        long t = T0 + MS;
        assertThat(budget.take(t)).isEqualTo(Verdict.DROP_AND_WARN);
        // dropping for 2.5 s, then a pause of 1.5 s: the run of drops ends
        for (; t < T0 + 2_500 * MS; t += 100 * MS) {
            assertThat(budget.take(t)).isNotEqualTo(Verdict.CLOSE);
        }
        t = T0 + 4_000 * MS;
        assertThat(budget.take(t)).isEqualTo(Verdict.ACCEPT);
        Verdict last = null;
        for (t += MS; t < T0 + 8_000 * MS && last != Verdict.CLOSE; t += 10 * MS) {
            last = budget.take(t);
        }
        assertThat(last).isEqualTo(Verdict.CLOSE);
        assertThat(t - (T0 + 4_000 * MS)).isBetween(3_000 * MS, 3_100 * MS);
    }

    @Test
    void withoutACloseTimeAFloodIsNeverClosed() {
        FrameBudget budget = new FrameBudget(1, 1, 0);
        for (long t = T0; t < T0 + 60 * SECOND; t += 10 * MS) {
            assertThat(budget.take(t)).isNotEqualTo(Verdict.CLOSE);
        }
    }
}
