package io.livequeue.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where a job goes: the queue it names, its type's first route, or default. */
class RoutingTest {

    private final Routing routing = new Routing(Map.of("sms", List.of("sms", "sms-bulk"), "mail", List.of("mail")));

    @Test
    void anUnroutedTypeGoesToDefaultOrToTheQueueItNames() {
        assertThat(routing.queueOf("echo", null)).isEqualTo(QueueNames.DEFAULT);
        assertThat(routing.queueOf("echo", "reports")).isEqualTo("reports");
        assertThat(routing.queueOf("echo", "sms")).as("an unrouted type may go anywhere").isEqualTo("sms");
    }

    @Test
    void aRoutedTypeGoesToItsFirstQueueOrToOneOfItsQueuesItNames() {
        assertThat(routing.queueOf("sms", null)).isEqualTo("sms");
        assertThat(routing.queueOf("sms", "sms-bulk")).isEqualTo("sms-bulk");
        assertThat(routing.queueOf("mail", "mail")).isEqualTo("mail");
    }

    @Test
    void aRoutedTypeMayNotGoToAQueueItIsNotRoutedTo() {
        assertThat(routing.queueOf("sms", "mail")).isNull();
        assertThat(routing.queueOf("sms", QueueNames.DEFAULT)).isNull();
        assertThat(routing.queueOf("mail", "sms")).isNull();
    }

    @Test
    void queuesOfAndTypesOfReadTheRoutesBothWays() {
        assertThat(routing.queuesOf("sms")).containsExactly("sms", "sms-bulk");
        assertThat(routing.queuesOf("echo")).isEmpty();
        assertThat(routing.typesOf("sms-bulk")).containsExactly("sms");
        assertThat(routing.typesOf(QueueNames.DEFAULT)).isEmpty();
    }

    @Test
    void blanksAroundQueueNamesAreIgnored() {
        Routing trimmed = new Routing(Map.of("sms", List.of(" sms ", "", "sms-bulk")));

        assertThat(trimmed.queuesOf("sms")).containsExactly("sms", "sms-bulk");
        assertThat(trimmed.queueOf("sms", null)).isEqualTo("sms");
    }

    @Test
    void aRouteToNoQueueOrToAMalformedQueueIsRefusedAtStart() {
        for (List<String> bad : List.of(List.<String>of(), List.of(" ", ""), List.of("sms", "sms:bulk"),
                List.of("sms~1"), List.of("x".repeat(65)))) {
            Map<String, List<String>> routes = new LinkedHashMap<>();
            routes.put("sms", bad);
            assertThatThrownBy(() -> new Routing(routes)).as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("livequeue.queues.routes.sms=")
                    .hasMessageContaining(QueueNames.RULE);
        }
    }

    @Test
    void noRoutesSendEveryJobToDefaultOrItsNamedQueue() {
        Routing none = new Routing(Map.of());

        assertThat(none.queueOf("sms", null)).isEqualTo(QueueNames.DEFAULT);
        assertThat(none.queueOf("sms", "sms")).isEqualTo("sms");
    }
}
