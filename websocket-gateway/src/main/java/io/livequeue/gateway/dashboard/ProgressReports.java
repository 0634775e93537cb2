package io.livequeue.gateway.dashboard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.livequeue.core.EventMessage;
import io.livequeue.core.JobStatus;
import java.io.IOException;

/**
 * Tells a progress report from the start of an attempt. Both are job events of status {@code active} with the
 * attempt's start time in their envelope (a report grows the job's version like any change, so that every gateway
 * forwards it); only a report's event has a top-level {@code "progress"} field. The dashboard measures pickup latency
 * on the start of an attempt alone: counted on every report too, a job that reports ten times would weigh ten times
 * as much in the second's average, in seconds where it was not picked up at all. The event is read field by field
 * (a handler's progress data is skipped, never parsed into objects), and only for {@code active} events.
 */
final class ProgressReports {

    private static final JsonFactory JSON = new JsonFactory();

    private ProgressReports() {
    }

    /** Whether {@code message} is an active job's progress report rather than the start of an attempt. */
    static boolean isProgress(EventMessage message) {
        if (message.status() != JobStatus.ACTIVE) {
            return false;
        }
        String event = message.eventJson();
        if (!event.contains("\"progress\"")) {
            return false; // most active events: the start of an attempt, no parsing needed
        }
        try (JsonParser p = JSON.createParser(event)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if ("progress".equals(field)) {
                    return true;
                }
                p.skipChildren();
            }
            return false;
        } catch (IOException e) {
            return false; // not JSON: not a report this gateway can tell; counted as a start, as before
        }
    }
}
