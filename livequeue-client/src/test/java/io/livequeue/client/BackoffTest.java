package io.livequeue.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Full-jitter exponential back-off: doubling ceilings up to the cap, waits spread over the whole range below. */
class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

    @Test
    void ceilingDoublesFromTheBaseUpToTheCap() {
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofMillis(1600));
        assertThat(backoff.ceiling(6)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.ceiling(1000)).as("no overflow after many failures").isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void delaysAreSpreadBetweenZeroAndTheCeiling() {
        Set<Long> tenths = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            Duration delay = backoff.delay(4);
            assertThat(delay).isBetween(Duration.ZERO, Duration.ofMillis(800));
            tenths.add(delay.toMillis() / 80);
        }
        // full jitter: every tenth of [0, 800 ms] is hit, not just the top (equal jitter) or one value (none)
        assertThat(tenths).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void zeroBaseMeansNoWait() {
        assertThat(new Backoff(Duration.ZERO, Duration.ZERO).delay(3)).isEqualTo(Duration.ZERO);
    }
}
