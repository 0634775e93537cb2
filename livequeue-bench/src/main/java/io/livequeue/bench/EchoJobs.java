package io.livequeue.bench;

import io.livequeue.core.Ids;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.NewJob;
import java.util.ArrayList;
import java.util.List;

/**
 * The echo jobs the direct modes write into Redis, shaped like the ones the end-to-end mode POSTs
 * ({@code {"i":n,"pad":"xx…"}}, no {@code replyTo}), and the cheap check that a result is the job's own: echo returns
 * its payload, so the result must start with the same number. Everything is built before the clock starts.
 */
final class EchoJobs {

    /** Like the producer's default: a failure is retried, so a flaky consumer shows as wrong, not as lost. */
    private static final int MAX_ATTEMPTS = 3;
    private static final String RESULT_NUMBER = "\"result\":{\"i\":";

    private EchoJobs() {
    }

    static List<NewJob> make(int count, int payloadBytes) {
        String pad = "x".repeat(Math.max(0, payloadBytes - 20));
        List<NewJob> jobs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            jobs.add(new NewJob(Ids.newJobId(), "echo", Priority.NORMAL, MAX_ATTEMPTS,
                    "{\"i\":" + i + ",\"pad\":\"" + pad + "\"}", null));
        }
        return jobs;
    }

    /**
     * The number in the result of a {@code completed} event (the envelope or the event alone), or -1: a scan for one
     * known prefix instead of parsing the event, because this runs for every completion.
     */
    static int echoedNumber(String message) {
        int at = message.indexOf(RESULT_NUMBER);
        if (at < 0) {
            return -1;
        }
        int value = 0;
        int digits = 0;
        for (int i = at + RESULT_NUMBER.length(); i < message.length(); i++, digits++) {
            char c = message.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
        }
        return digits == 0 ? -1 : value;
    }
}
