package io.livequeue.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code --mode scheduled}: its defaults, its own options, and the others' refused. */
class BenchOptionsTest {

    @Test
    void scheduledRunsAThousandJobsASecondDueOneSecondAfterTheirSubmit() {
        BenchOptions options = BenchOptions.parse(new String[] {"--mode", "scheduled"});

        assertThat(options.mode()).isEqualTo(BenchOptions.Mode.SCHEDULED);
        assertThat(options.rate()).isEqualTo(1_000);
        assertThat(options.lead()).isEqualTo(Duration.ofMillis(1_000));
        assertThat(options.jobs()).isEqualTo(10_000);
        assertThat(options.payloadBytes()).isEqualTo(100);
        assertThat(options.producer()).isEqualTo(URI.create("http://localhost:8081"));
        assertThat(options.redis()).isEqualTo(URI.create("redis://localhost:6379"));
        assertThat(options.describe()).contains("at 1000 jobs/s", "delay of 1000 ms");
    }

    @Test
    void scheduledTakesRateLeadAndWhereTheStackIs() {
        BenchOptions options = BenchOptions.parse(new String[] {"--mode", "scheduled", "--rate", "250", "--lead",
                "2500", "--jobs", "500", "--producer", "http://127.0.0.1:9081", "--redis", "redis://127.0.0.1:7000",
                "--prefix", "lq", "--in-flight", "8"});

        assertThat(options.rate()).isEqualTo(250);
        assertThat(options.lead()).isEqualTo(Duration.ofMillis(2_500));
        assertThat(options.jobs()).isEqualTo(500);
        assertThat(options.producer().getPort()).isEqualTo(9081);
        assertThat(options.redis().getPort()).isEqualTo(7000);
        assertThat(options.prefix()).isEqualTo("lq");
        assertThat(options.inFlight()).isEqualTo(8);
    }

    @Test
    void scheduledRefusesWhatItCannotMeasure() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--mode", "scheduled", "--rate", "0"}))
                .hasMessageContaining("--rate must be 1 or more");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--mode", "scheduled", "--lead", "0"}))
                .hasMessageContaining("--lead must be 1 or more");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--mode", "scheduled", "--batch", "10"}))
                .hasMessageContaining("--batch does not apply to --mode scheduled");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--mode", "scheduled", "--gateway", "ws://x"}))
                .hasMessageContaining("--gateway does not apply to --mode scheduled");
    }

    @Test
    void leadBelongsToScheduledOnly() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--lead", "1000"}))
                .hasMessageContaining("--lead does not apply to --mode end-to-end");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--mode", "pickup", "--lead", "1000"}))
                .hasMessageContaining("--lead does not apply to --mode pickup");
    }

    @Test
    void theOtherModesKeepTheirDefaults() {
        assertThat(BenchOptions.parse(new String[0]).rate()).as("end-to-end: closed loop").isZero();
        assertThat(BenchOptions.parse(new String[0]).jobs()).isEqualTo(20_000);
        assertThat(BenchOptions.parse(new String[] {"--mode", "pickup"}).jobs()).isEqualTo(2_000);
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--mode", "later"}))
                .hasMessageContaining("pickup, scheduled or sockets");
    }

    @Test
    void usageNamesTheMode() {
        assertThat(BenchOptions.USAGE).contains("--mode end-to-end | queue-only | pickup | scheduled",
                "[--lead 1000 (ms)]");
    }

    @Test
    void socketsOpensTenThousandAndDeliversTenThousandEventsASecond() {
        BenchOptions options = BenchOptions.parse(new String[] {"--mode", "sockets"});

        assertThat(options.sockets()).isEqualTo(10_000);
        assertThat(options.sources()).as("under the gateway's per-address cap of 200").isEqualTo(67);
        assertThat(options.rate()).isEqualTo(10_000);
        assertThat(options.jobs()).isEqualTo(100_000);
        assertThat(options.hold()).isZero();
        assertThat(options.describe()).contains("10000 idle WebSockets", "at 10000 events/s");
    }

    @Test
    void socketsSplitOverProcessesByTheirSourceAddresses() {
        BenchOptions options = BenchOptions.parse(new String[] {"--mode", "sockets", "--sockets", "9000",
                "--first-source", "1000", "--sources", "60", "--rate", "0", "--hold", "120s", "--gateway-pid", "42"});

        assertThat(options.rate()).isZero();
        assertThat(options.hold()).isEqualTo(Duration.ofSeconds(120));
        assertThat(options.gatewayPid()).isEqualTo(42);
        assertThat(options.describe()).contains("no delivery", "held open 120 s");
        assertThat(SocketsRun.sources(options.firstSource(), options.sources())).hasSize(60)
                .startsWith("127.0.4.2").doesNotHaveDuplicates().allMatch(a -> a.startsWith("127.0."));
        assertThat(SocketsRun.sources(0, 251)).startsWith("127.0.0.2").endsWith("127.0.1.2").contains("127.0.0.251");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--mode", "sockets", "--batch", "10"}))
                .hasMessageContaining("--batch does not apply to --mode sockets");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--sockets", "10"}))
                .hasMessageContaining("--sockets does not apply to --mode end-to-end");
    }
}
