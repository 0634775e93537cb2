package io.livequeue.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a queue may be called: its name goes into keys, a hash tag and job ids. */
class QueueNamesTest {

    @Test
    void namesOfOneToSixtyFourLettersDigitsUnderscoresDotsAndDashesAreValid() {
        assertThat(QueueNames.isValid("a")).isTrue();
        assertThat(QueueNames.isValid("default")).isTrue();
        assertThat(QueueNames.isValid("SMS_bulk-eu.2")).isTrue();
        assertThat(QueueNames.isValid("-")).as("no rule on the first character").isTrue();
        assertThat(QueueNames.isValid("9")).isTrue();
        assertThat(QueueNames.isValid("x".repeat(QueueNames.MAX_LENGTH))).isTrue();
    }

    @Test
    void emptyTooLongAndNullNamesAreInvalid() {
        assertThat(QueueNames.isValid(null)).isFalse();
        assertThat(QueueNames.isValid("")).isFalse();
        assertThat(QueueNames.isValid("x".repeat(QueueNames.MAX_LENGTH + 1))).isFalse();
    }

    @Test
    void charactersThatMeanSomethingInKeysIdsOrJsonAreInvalid() {
        for (String bad : new String[] {"sms~bulk", "sms:bulk", "{sms}", "sms}", "sms{", "s ms", "sms\n", "sms\"",
                "sms*", "sms/eu", "sms\\eu", "sms,eu", "sm\u00e9", "sms\u0000"}) {
            assertThat(QueueNames.isValid(bad)).as(bad).isFalse();
        }
    }

    @Test
    void theRuleMatchesTheCheck() {
        assertThat(QueueNames.RULE).isEqualTo("1 to 64 of the characters A-Z a-z 0-9 _ . -");
    }
}
