package io.livequeue.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisClusterTest {

    @Test
    void threeMastersServeEverySlotAndAreGoneAfterClose() {
        List<RedisServer> nodes;
        Path dir;
        try (RedisCluster cluster = RedisCluster.start()) {
            nodes = cluster.nodes();
            assertThat(nodes).hasSize(3);
            assertThat(cluster.hosts()).matches("redis://127\\.0\\.0\\.1:\\d+(,redis://127\\.0\\.0\\.1:\\d+){2}");
            for (RedisServer node : nodes) {
                assertThat((String) Resp.call(node.port(), "CLUSTER", "INFO")).contains("cluster_state:ok",
                        "cluster_known_nodes:3", "cluster_slots_assigned:16384");
            }
            RedisServer owner = cluster.nodeFor("livequeue:{jobs}:signal");
            assertThat(Resp.call(owner.port(), "SET", "livequeue:{jobs}:probe", "1")).isEqualTo("OK");
            RedisServer other = nodes.stream().filter(n -> n != owner).findFirst().orElseThrow();
            assertThatThrownBy(() -> Resp.call(other.port(), "GET", "livequeue:{jobs}:probe"))
                    .isInstanceOf(Resp.ErrorReply.class).hasMessageStartingWith("MOVED");
            dir = nodes.get(0).dir().getParent();
        }
        assertThat(nodes).noneMatch(RedisServer::isRunning);
        assertThat(Files.exists(dir)).as("temp dir removed").isFalse();
    }
}
