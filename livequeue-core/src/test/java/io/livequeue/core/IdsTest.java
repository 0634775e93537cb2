package io.livequeue.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The shapes an id must have before it may appear in a Redis key or a Lua-built event. */
class IdsTest {

    @Test
    void newIdsHaveTheirOwnShape() {
        assertThat(Ids.isJobId(Ids.newJobId())).isTrue();
        assertThat(Ids.isInboxId(Ids.newInboxId())).isTrue();
        assertThat(Ids.newInboxId()).hasSize(22);
    }

    @Test
    void jobIdsAreLowercaseUuids() {
        assertThat(Ids.isJobId("0b6f4c52-4b0e-4e8a-9d1c-3f2a1b0c9d8e")).isTrue();
        assertThat(Ids.isJobId("0B6F4C52-4B0E-4E8A-9D1C-3F2A1B0C9D8E")).isFalse();
        assertThat(Ids.isJobId("0b6f4c52-4b0e-4e8a-9d1c-3f2a1b0c9d8")).isFalse();
        assertThat(Ids.isJobId("0b6f4c52-4b0e-4e8a-9d1c-3f2a1b0c9d8e0")).isFalse();
        assertThat(Ids.isJobId("0b6f4c52x4b0e-4e8a-9d1c-3f2a1b0c9d8e")).isFalse();
        assertThat(Ids.isJobId("0b6f4c52-4b0e-4e8a-9d1c-3f2a1b0c9d8g")).isFalse();
        assertThat(Ids.isJobId("0b6f4c52-4b0e-4e8a-9d1c-3f2a1b0c:d8e")).isFalse();
        assertThat(Ids.isJobId("")).isFalse();
        assertThat(Ids.isJobId(null)).isFalse();
    }

    @Test
    void inboxIdsAreBase64UrlOf22To64Characters() {
        assertThat(Ids.isInboxId("AbCdEfGhIjKlMnOpQrSt_-")).isTrue();
        assertThat(Ids.isInboxId("a".repeat(64))).isTrue();
        assertThat(Ids.isInboxId("a".repeat(21))).isFalse();
        assertThat(Ids.isInboxId("a".repeat(65))).isFalse();
        assertThat(Ids.isInboxId("AbCdEfGhIjKlMnOpQrSt_+")).isFalse();
        assertThat(Ids.isInboxId("AbCdEfGhIjKlMnOpQrSt:\"")).isFalse();
        assertThat(Ids.isInboxId(null)).isFalse();
    }

    @Test
    void jobTypesAreLowercaseNamesStartingWithALetterOrDigit() {
        assertThat(Ids.isJobType("echo")).isTrue();
        assertThat(Ids.isJobType("sms.v2_eu-west")).isTrue();
        assertThat(Ids.isJobType("9lives")).isTrue();
        assertThat(Ids.isJobType("x".repeat(64))).isTrue();
        assertThat(Ids.isJobType("x".repeat(65))).isFalse();
        assertThat(Ids.isJobType("-echo")).isFalse();
        assertThat(Ids.isJobType(".echo")).isFalse();
        assertThat(Ids.isJobType("Echo")).isFalse();
        assertThat(Ids.isJobType("echo job")).isFalse();
        assertThat(Ids.isJobType("")).isFalse();
        assertThat(Ids.isJobType(null)).isFalse();
    }

    @Test
    void aJobOfANamedQueueCarriesItsQueueInItsId() {
        String id = Ids.newJobId("sms");

        assertThat(id).matches("sms~[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(Ids.isJobId(id)).isTrue();
        assertThat(Ids.queueOf(id)).isEqualTo("sms");
    }

    @Test
    void aJobOfTheDefaultQueueKeepsAPlainUuid() {
        String id = Ids.newJobId(QueueNames.DEFAULT);

        assertThat(id).doesNotContain("~").hasSize(36);
        assertThat(Ids.isJobId(id)).isTrue();
        assertThat(Ids.queueOf(id)).isEqualTo(QueueNames.DEFAULT);
        assertThat(Ids.queueOf(Ids.newJobId())).isEqualTo(QueueNames.DEFAULT);
    }

    @Test
    void queueOfTakesEverythingBeforeTheLastSeparatorOfAValidId() {
        assertThat(Ids.queueOf("sms.v2_eu-West~" + UUID)).isEqualTo("sms.v2_eu-West");
        assertThat(Ids.queueOf("q".repeat(64) + "~" + UUID)).isEqualTo("q".repeat(64));
        assertThat(Ids.queueOf("a~" + UUID)).isEqualTo("a");
    }

    @Test
    void theDefaultQueueNeverAppearsInAnId() {
        assertThat(Ids.isJobId("default~" + UUID)).as("default's ids are plain UUIDs, so it has one id per job")
                .isFalse();
    }

    @Test
    void aQueueIdWithAMalformedQueueNameIsRefused() {
        assertThat(Ids.isJobId("~" + UUID)).as("empty queue name").isFalse();
        assertThat(Ids.isJobId("q".repeat(65) + "~" + UUID)).as("65 characters").isFalse();
        assertThat(Ids.isJobId("sms:x~" + UUID)).as("':' would end up in a key").isFalse();
        assertThat(Ids.isJobId("{jobs}~" + UUID)).as("a hash tag").isFalse();
        assertThat(Ids.isJobId("s ms~" + UUID)).isFalse();
        assertThat(Ids.isJobId("sms~~" + UUID)).as("two separators").isFalse();
        assertThat(Ids.isJobId("sm\u00e9~" + UUID)).as("not ASCII").isFalse();
        assertThat(Ids.isJobId("sms~" + UUID.toUpperCase())).as("the UUID part stays lowercase").isFalse();
        assertThat(Ids.isJobId("sms~" + UUID.substring(1))).as("a short UUID").isFalse();
    }

    @Test
    void aQueueIdWithAnotherSeparatorIsRefused() {
        for (char separator : new char[] {'-', '_', '.', ':', '/', ' ', '|'}) {
            assertThat(Ids.isJobId("sms" + separator + UUID)).as("separator '%s'", separator).isFalse();
        }
        assertThat(Ids.isJobId("sms" + UUID)).as("no separator").isFalse();
        assertThat(Ids.isJobId("sms~" + UUID)).isTrue();
    }

    private static final String UUID = "0b6f4c52-4b0e-4e8a-9d1c-3f2a1b0c9d8e";
}
