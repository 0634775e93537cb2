package io.livequeue.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each HTTP status of the API maps to its exception class, with the problem document's fields. */
class ProblemMapperTest {

    @ParameterizedTest
    @CsvSource({
            "400, io.livequeue.client.InvalidRequestException",
            "413, io.livequeue.client.InvalidRequestException",
            "415, io.livequeue.client.InvalidRequestException",
            "422, io.livequeue.client.InvalidRequestException",
            "401, io.livequeue.client.UnauthorizedException",
            "403, io.livequeue.client.UnauthorizedException",
            "404, io.livequeue.client.JobNotFoundException",
            "409, io.livequeue.client.ConflictException",
            "429, io.livequeue.client.QueueFullException",
            "503, io.livequeue.client.ServiceUnavailableException",
            "405, io.livequeue.client.LiveQueueException",
            "500, io.livequeue.client.LiveQueueException"})
    void statusMapsToItsException(int status, String className) throws Exception {
        LiveQueueException e = ProblemMapper.toException(status, "{\"type\":\"urn:x\",\"title\":\"T\",\"status\":"
                + status + ",\"detail\":\"D\",\"errors\":[{\"field\":\"f\",\"message\":\"m\"}]}", null);

        assertThat(e).isExactlyInstanceOf(Class.forName(className));
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.type()).isEqualTo("urn:x");
        assertThat(e.title()).isEqualTo("T");
        assertThat(e.detail()).isEqualTo("D");
        assertThat(e.errors()).containsExactly(new FieldError("f", "m"));
    }

    @ParameterizedTest
    @CsvSource({"urn:livequeue:problem:job-finished, io.livequeue.client.JobFinishedException",
            "https://livequeue.io/problems/job-finished, io.livequeue.client.JobFinishedException",
            "urn:livequeue:problem:idempotency-key-gone, io.livequeue.client.ConflictException"})
    void aConflictIsAJobFinishedOnlyWhenItsTypeSaysSo(String type, String className) throws Exception {
        LiveQueueException e = ProblemMapper.toException(409, "{\"type\":\"" + type + "\",\"title\":\"T\","
                + "\"status\":409}", null);

        assertThat(e).isExactlyInstanceOf(Class.forName(className)).isInstanceOf(ConflictException.class);
        assertThat(e.type()).isEqualTo(type);
    }

    @ParameterizedTest
    @CsvSource(value = {"2, PT2S", "0, PT0S", "' 7 ', PT7S", "-1, null", "soon, null",
            "'Wed, 21 Oct 2015 07:28:00 GMT', null"}, nullValues = "null")
    void retryAfterIsReadInSeconds(String header, Duration expected) {
        assertThat(ProblemMapper.retryAfter(header)).isEqualTo(expected);
    }
}
