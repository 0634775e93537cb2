package io.livequeue.consumer.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a consumer spreads its claims over its queues: strict order, or weights by smooth weighted round-robin. */
class QueueSelectorTest {

    @Test
    void strictSendsEveryClaimToTheFirstQueueThatMayHaveWork() {
        QueueSelector strict = QueueSelector.parse(List.of("critical", "default", "low"));

        assertThat(strict.weighted()).isFalse();
        assertThat(strict.plan(5, q -> true)).containsExactlyEntriesOf(Map.of("critical", 5));
        assertThat(strict.plan(5, q -> !q.equals("critical"))).containsExactlyEntriesOf(Map.of("default", 5));
        assertThat(strict.plan(5, q -> q.equals("low"))).containsExactlyEntriesOf(Map.of("low", 5));
        assertThat(strict.plan(5, q -> false)).isEmpty();
    }

    @Test
    void weightedSharesFollowTheWeightsExactlyOverAFullCycle() {
        QueueSelector weighted = QueueSelector.parse(List.of("critical:6", "default:3", "low:1"));
        Map<String, Integer> total = new HashMap<>();
        for (int round = 0; round < 300; round++) { // 3,000 claims in rounds of 10, as a busy consumer asks
            weighted.plan(10, q -> true).forEach((q, n) -> total.merge(q, n, Integer::sum));
        }
        assertThat(total).containsExactlyInAnyOrderEntriesOf(Map.of("critical", 1800, "default", 900, "low", 300));
    }

    @Test
    void weightedSpreadsEvenASingleClaimAtATimeAndSkipsQueuesWithoutWork() {
        QueueSelector weighted = QueueSelector.parse(List.of("a:2", "b:1"));
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            order.append(weighted.plan(1, q -> true).keySet().iterator().next());
        }
        assertThat(order.toString()).isEqualTo("abaaba"); // smooth: never three of a in a row

        Map<String, Integer> onlyB = weighted.plan(4, q -> q.equals("b"));
        assertThat(onlyB).containsExactlyEntriesOf(Map.of("b", 4)); // a has no work: b is not starved, nor a waited for
    }

    @Test
    void aMalformedListSaysWhatIsWrong() {
        assertThatThrownBy(() -> QueueSelector.parse(List.of("a:6", "b"))).hasMessageContaining("every queue a weight");
        assertThatThrownBy(() -> QueueSelector.parse(List.of("a:0"))).hasMessageContaining("from 1 to 1000");
        assertThatThrownBy(() -> QueueSelector.parse(List.of("a:x"))).hasMessageContaining("from 1 to 1000");
        assertThatThrownBy(() -> QueueSelector.parse(List.of("a b"))).hasMessageContaining("not a queue name");
        assertThatThrownBy(() -> QueueSelector.parse(List.of("a", "a"))).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> QueueSelector.parse(List.of(" "))).hasMessageContaining("at least one queue");
        assertThat(QueueSelector.parse(List.of(" a ", "b")).queues()).isEqualTo(List.of("a", "b"));
        assertThat(Set.copyOf(QueueSelector.parse(List.of("a:6", "b:3")).queues())).containsExactlyInAnyOrder("a", "b");
    }
}
