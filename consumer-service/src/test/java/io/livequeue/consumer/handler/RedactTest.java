package io.livequeue.consumer.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** How much of a phone number a result or a log line shows, and what of a payload an error keeps. */
class RedactTest {

    @Test
    void aPhoneNumberKeepsItsFirstTwoAndLastFourDigitsFromElevenDigitsOn() {
        assertThat(Redact.phone("+447700900123")).isEqualTo("+44******0123");
        assertThat(Redact.phone("+4915112345678")).isEqualTo("+49*******5678");
        assertThat(Redact.phone("+12125551234")).isEqualTo("+12*****1234");
        assertThat(Redact.phone("+861381234567890")).isEqualTo("+86*********7890");
    }

    @Test
    void aShorterNumberKeepsItsLastTwoDigitsOrNone() {
        assertThat(Redact.phone("+3312345678")).isEqualTo("+********78");
        assertThat(Redact.phone("+3581234")).isEqualTo("+*****34");
        assertThat(Redact.phone("+123456")).isEqualTo("+******");
        assertThat(Redact.phone("+44 7700-900123")).isEqualTo("+44******0123");
        assertThat(Redact.phone(null)).isNull();
    }

    @Test
    void anErrorLosesThePayloadsStringsAndNumbers() throws Exception {
        var payload = new ObjectMapper().readTree(
                "{\"to\":\"+447700900123\",\"items\":[{\"card\":4111111111111111,\"name\":\"Ada Lovelace\"}],\"n\":7}");

        String error = Redact.payloadFrom("no route to +447700900123 for Ada Lovelace (card 4111111111111111), n=7",
                payload);

        assertThat(error).isEqualTo("no route to … for … (card …), n=7");
        assertThat(Redact.payloadFrom("plain", null)).isEqualTo("plain");
    }
}
