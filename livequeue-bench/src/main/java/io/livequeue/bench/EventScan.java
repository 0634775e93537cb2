package io.livequeue.bench;

import io.livequeue.core.EventMessage;
import io.livequeue.core.JobStatus;

/**
 * Reads the job id and status of an event envelope. The bench receives two events per job, as fast as the
 * consumers go, on a machine it shares with them, and only needs those two fields: a scan of the prefix the Lua
 * scripts write ({@code {"v":n,"id":"…","status":"…"}) costs a few percent of a JSON parse. Anything shaped
 * otherwise (a future envelope) goes through {@link EventMessage#parse}, so the scan can only be faster, never wrong.
 */
final class EventScan {

    private static final String START = "{\"v\":";
    private static final String ID = ",\"id\":\"";
    private static final String STATUS = "\",\"status\":\"";
    /** The version is a small number: the id must follow within a few characters or the shape is not ours. */
    private static final int ID_WITHIN = 32;
    private static final JobStatus[] STATUSES = JobStatus.values();

    /** An event as the runs need it; {@code message} is the whole envelope, event included. */
    record Seen(String jobId, JobStatus status, String message) {
    }

    private EventScan() {
    }

    /** @throws IllegalArgumentException if the message is not an envelope */
    static Seen read(String message) {
        if (message.startsWith(START)) {
            int id = message.indexOf(ID, START.length());
            if (id > 0 && id < ID_WITHIN) {
                int from = id + ID.length();
                int to = message.indexOf('"', from);
                if (to > from && message.startsWith(STATUS, to)) {
                    JobStatus status = statusAt(message, to + STATUS.length());
                    if (status != null) {
                        return new Seen(message.substring(from, to), status, message);
                    }
                }
            }
        }
        EventMessage parsed = EventMessage.parse(message);
        return new Seen(parsed.jobId(), parsed.status(), message);
    }

    private static JobStatus statusAt(String message, int at) {
        for (JobStatus status : STATUSES) {
            String name = status.wireName();
            if (message.startsWith(name, at) && message.length() > at + name.length()
                    && message.charAt(at + name.length()) == '"') {
                return status;
            }
        }
        return null;
    }
}
