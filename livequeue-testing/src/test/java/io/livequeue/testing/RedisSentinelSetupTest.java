package io.livequeue.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisSentinelSetupTest {

    @Test
    void failoverPromotesTheReplicaAndTheOldMasterFollowsIt() {
        Path dir;
        RedisServer first;
        RedisServer second;
        try (RedisSentinelSetup setup = RedisSentinelSetup.start()) {
            first = setup.master();
            second = setup.replica();
            assertThat(setup.sentinelUrl()).isEqualTo(setup.sentinel().url());
            assertThat(Resp.call(first.port(), "SET", "k", "before")).isEqualTo("OK");

            RedisServer promoted = setup.failover(Duration.ofSeconds(30));
            assertThat(promoted).isSameAs(second);
            assertThat(setup.master()).isSameAs(second);
            assertThat(Resp.call(second.port(), "SET", "k2", "after")).isEqualTo("OK");
            // the guard: the old master, left by its replica, refuses writes instead of losing them
            assertThatThrownBy(() -> Resp.call(first.port(), "SET", "k3", "lost?"))
                    .isInstanceOf(Resp.ErrorReply.class).hasMessageStartingWith("NOREPLICAS");

            setup.awaitReplicating(first, Duration.ofSeconds(30));
            assertThat(((List<?>) Resp.call(first.port(), "ROLE")).get(0)).isEqualTo("slave");
            assertThat(Resp.call(first.port(), "GET", "k2")).isEqualTo("after");
            dir = first.dir().getParent();
        }
        assertThat(first.isRunning()).isFalse();
        assertThat(second.isRunning()).isFalse();
        assertThat(Files.exists(dir)).as("temp dir removed").isFalse();
    }
}
