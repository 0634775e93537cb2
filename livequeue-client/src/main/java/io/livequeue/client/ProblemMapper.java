package io.livequeue.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an error answer into the matching {@link LiveQueueException}. It exists so that the mapping from HTTP
 * status to exception class, and the reading of RFC 9457 problem documents, is one table in one place; an answer that
 * is not a problem document (a proxy's HTML page, an empty body) still gives an exception with the status and a
 * shortened body as its detail.
 */
final class ProblemMapper {

    private static final int MAX_DETAIL = 200;

    private ProblemMapper() {
    }

    static LiveQueueException toException(int status, String body, String retryAfterHeader) {
        Duration retryAfter = retryAfter(retryAfterHeader);
        String type = null;
        String title = null;
        String detail = null;
        List<FieldError> errors = new ArrayList<>();
        JsonNode problem = parse(body);
        if (problem != null && problem.isObject()) {
            type = WireFormat.text(problem, "type");
            title = WireFormat.text(problem, "title");
            detail = WireFormat.text(problem, "detail");
            problem.path("errors").forEach(e -> errors.add(new FieldError(e.path("field").asText(""),
                    e.path("message").asText(""))));
        } else if (body != null && !body.isBlank()) {
            detail = body.length() <= MAX_DETAIL ? body.strip() : body.substring(0, MAX_DETAIL).strip() + "…";
        }
        return switch (status) {
            case 400, 413, 415, 422 -> new InvalidRequestException(status, type, title, detail, errors, retryAfter);
            case 401, 403 -> new UnauthorizedException(status, type, title, detail, errors, retryAfter);
            case 404 -> new JobNotFoundException(status, type, title, detail, errors, retryAfter);
            case 409 -> isType(type, "job-finished")
                    ? new JobFinishedException(status, type, title, detail, errors, retryAfter)
                    : new ConflictException(status, type, title, detail, errors, retryAfter);
            case 429 -> new QueueFullException(status, type, title, detail, errors, retryAfter);
            case 503 -> new ServiceUnavailableException(status, type, title, detail, errors, retryAfter);
            default -> new LiveQueueException(status, type, title, detail, errors, retryAfter);
        };
    }

    /** Whether the problem {@code type} names {@code name}, as the URN's last part ({@code urn:livequeue:problem:…}). */
    private static boolean isType(String type, String name) {
        return type != null && (type.equals(name) || type.endsWith(":" + name) || type.endsWith("/" + name));
    }

    /** {@code Retry-After} in whole seconds (what livequeue sends); null when absent or in another form. */
    static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.strip());
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return WireFormat.read(body);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
