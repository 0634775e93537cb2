package io.livequeue.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a job runs and until when it may start: one of each pair at most, kept across the other {@code with}s. */
class JobRequestTest {

    private static final Instant AT = Instant.parse("2026-12-01T09:00:00Z");

    @Test
    void delayAndRunAtAreRefusedTogether() {
        assertThatThrownBy(() -> JobRequest.of("echo").withDelay(Duration.ofSeconds(5)).withRunAt(AT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay or runAt");
        assertThatThrownBy(() -> JobRequest.of("echo").withRunAt(AT).withDelay(Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ttlAndExpiresAtAreRefusedTogether() {
        assertThatThrownBy(() -> JobRequest.of("echo").withTtl(Duration.ofMinutes(5)).withExpiresAt(AT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl or expiresAt");
        assertThatThrownBy(() -> JobRequest.of("echo").withExpiresAt(AT).withTtl(Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeDurationsAreRefused() {
        assertThatThrownBy(() -> JobRequest.of("echo").withDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobRequest.of("echo").withTtl(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneOfEachPairGoesTogetherAndSurvivesTheOtherSetters() {
        JobRequest request = JobRequest.of("sms").withRunAt(AT).withTtl(Duration.ofMinutes(5))
                .withPayload(1).withReplyTo("inbox").withPriority(Priority.LOW).withMaxAttempts(2).withQueue("q");

        assertThat(request.runAt()).isEqualTo(AT);
        assertThat(request.ttl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(request.delay()).isNull();
        assertThat(request.expiresAt()).isNull();
        assertThat(request.withRunAt(null).withDelay(Duration.ZERO).delay()).as("unset one, then set the other")
                .isEqualTo(Duration.ZERO);
    }
}
