package io.livequeue.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Reading gateway events (with and without {@code v}) and the time shapes the API may use. */
class WireFormatTest {

    @Test
    void jobEventIsReadWithItsVersion() {
        JobUpdate update = WireFormat.update(WireFormat.read("{\"event\":\"job\",\"id\":\"a\",\"type\":\"echo\","
                + "\"status\":\"completed\",\"attempts\":1,\"result\":{\"x\":[1,2]},\"error\":null,\"v\":3}"));

        assertThat(update.id()).isEqualTo("a");
        assertThat(update.type()).isEqualTo("echo");
        assertThat(update.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(update.isFinal()).isTrue();
        assertThat(update.attempts()).isEqualTo(1);
        assertThat(update.result().path("x").get(1).asInt()).isEqualTo(2);
        assertThat(update.error()).isNull();
        assertThat(update.version()).isEqualTo(3);
    }

    @Test
    void jobEventOfAnOlderGatewayHasNoVersion() {
        JobUpdate update = WireFormat.update(WireFormat.read("{\"event\":\"job\",\"id\":\"a\",\"type\":\"fail\","
                + "\"status\":\"failed\",\"attempts\":2,\"result\":null,\"error\":\"boom\"}"));

        assertThat(update.version()).isEqualTo(-1);
        assertThat(update.result()).isNull();
        assertThat(update.error()).isEqualTo("boom");
        assertThat(update.isFinal()).isFalse();
    }

    @Test
    void progressEventIsReadWithPercentAndData() {
        JobUpdate update = WireFormat.update(WireFormat.read("{\"event\":\"job\",\"id\":\"a\",\"type\":\"sleep\","
                + "\"status\":\"active\",\"attempts\":1,\"result\":null,\"error\":null,"
                + "\"progress\":{\"percent\":42,\"data\":{\"sent\":420,\"of\":1000}},\"v\":5}"));

        assertThat(update.status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(update.progress().percent()).isEqualTo(42.0);
        assertThat(update.progress().data().path("sent").asInt()).isEqualTo(420);
        assertThat(update.runAt()).isNull();
        assertThat(update.version()).isEqualTo(5);
    }

    @Test
    void progressWithoutDataOrOfAnotherShapeIsReadAsWellAsItCanBe() {
        assertThat(WireFormat.progress(WireFormat.read("{\"percent\":12.5,\"data\":null}")))
                .isEqualTo(new Progress(12.5, null));
        assertThat(WireFormat.progress(WireFormat.read("{\"percent\":100}"))).isEqualTo(new Progress(100, null));
        assertThat(WireFormat.progress(WireFormat.read("\"half\""))).isNull();
        assertThat(WireFormat.progress(WireFormat.read("{\"data\":1}"))).isNull();
        assertThat(WireFormat.progress(null)).isNull();
    }

    @Test
    void scheduledEventCarriesItsDueTime() {
        JobUpdate update = WireFormat.update(WireFormat.read("{\"event\":\"job\",\"id\":\"a\",\"type\":\"echo\","
                + "\"status\":\"scheduled\",\"attempts\":0,\"result\":null,\"error\":null,"
                + "\"runAt\":1795991497789,\"v\":1}"));

        assertThat(update.status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(update.isFinal()).isFalse();
        assertThat(update.runAt()).isEqualTo(Instant.ofEpochMilli(1795991497789L));
        assertThat(update.progress()).isNull();
    }

    @Test
    void cancelledIsAFinalStatusAndScheduledIsNot() {
        assertThat(JobStatus.fromWireName("cancelled")).isEqualTo(JobStatus.CANCELLED);
        assertThat(JobStatus.CANCELLED.isFinal()).isTrue();
        assertThat(JobStatus.fromWireName("scheduled")).isEqualTo(JobStatus.SCHEDULED);
        assertThat(JobStatus.SCHEDULED.isFinal()).isFalse();
        assertThat(JobStatus.CANCELLED.wireName()).isEqualTo("cancelled");
    }

    @Test
    void unknownStatusIsReadAsUnknown() {
        assertThat(JobStatus.fromWireName("paused")).isEqualTo(JobStatus.UNKNOWN);
        assertThat(JobStatus.fromWireName(null)).isEqualTo(JobStatus.UNKNOWN);
    }

    @Test
    void instantsAreReadInEveryShapeJacksonWrites() {
        assertThat(WireFormat.instant(WireFormat.read("\"2026-11-29T10:00:00.123Z\"")))
                .isEqualTo(Instant.parse("2026-11-29T10:00:00.123Z"));
        assertThat(WireFormat.instant(WireFormat.read("1795991497789")))
                .isEqualTo(Instant.ofEpochMilli(1795991497789L));
        assertThat(WireFormat.instant(WireFormat.read("1795991497.789000000")))
                .isEqualTo(Instant.ofEpochMilli(1795991497789L));
        assertThat(WireFormat.instant(WireFormat.read("null"))).isNull();
        assertThat(WireFormat.instant(null)).isNull();
    }
}
