package io.livequeue.consumer.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One progress report as it is stored on the job and sent in its events, {@code {"percent":n,"data":…}}: checked and
 * encoded once, where the handler reports it, so a wrong value fails in the handler's own call.
 */
public record ProgressReport(int percent, String json) {

    /** The largest {@code data} a report may carry, encoded. */
    public static final int MAX_DATA_BYTES = 8 * 1024;

    public static ProgressReport of(int percent, JsonNode data) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("progress percent must be from 0 to 100, got " + percent);
        }
        ObjectNode report = JsonNodeFactory.instance.objectNode().put("percent", percent);
        report.set("data", data == null ? JsonNodeFactory.instance.nullNode() : data);
        String json = report.toString();
        if (json.length() > MAX_DATA_BYTES + 32) {
            throw new IllegalArgumentException("progress data must be at most " + MAX_DATA_BYTES + " bytes of JSON");
        }
        return new ProgressReport(percent, json);
    }
}
