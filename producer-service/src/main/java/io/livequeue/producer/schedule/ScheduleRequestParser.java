package io.livequeue.producer.schedule;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livequeue.core.QueueNames;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.core.schedule.JobTemplate;
import io.livequeue.core.schedule.ScheduleSpec;
import io.livequeue.producer.job.InvalidJobException;
import io.livequeue.producer.job.JobRequestParser;
import io.livequeue.producer.problem.FieldError;
import io.livequeue.producer.problem.JsonObjectBody;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the body of {@code POST}/{@code PUT /api/schedules} into a {@link ScheduleSpec}, or into the list of what is
 * wrong with it, every field at once. The job template is checked by the submit's own {@link JobRequestParser} on the
 * template's exact bytes, so a schedule can never make a job that a submit would refuse (its errors come back
 * prefixed {@code job.}); a template may not say when its job runs ({@code delay}, {@code runAt}: the ticks do) nor
 * give a fixed deadline ({@code expiresAt}: every later tick's job would be born expired; {@code ttl} is per job).
 */
@Singleton
public class ScheduleRequestParser {

    static final List<String> FIELDS = List.of("name", "cron", "every", "zone", "job", "overlap", "missed");
    private static final Map<String, String> NOT_IN_A_TEMPLATE = Map.of(
            "delay", "is not allowed in a schedule's job: its ticks decide when each job runs",
            "runAt", "is not allowed in a schedule's job: its ticks decide when each job runs",
            "expiresAt", "is not allowed in a schedule's job: a fixed deadline would expire the jobs of later ticks; "
                    + "use ttl");

    private final ObjectMapper mapper;
    private final JobRequestParser jobs;

    ScheduleRequestParser(ObjectMapper mapper, JobRequestParser jobs) {
        this.mapper = mapper;
        this.jobs = jobs;
    }

    /**
     * The schedule in {@code body}; {@code pathName} is the name in the path of a PUT (the body may repeat it, or
     * leave it out), null for a POST (the body must name it).
     *
     * @throws InvalidScheduleException listing what is wrong
     */
    public ScheduleSpec parse(String body, String pathName) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode root = JsonObjectBody.read(mapper, body, FIELDS, errors);
        if (root == null) {
            throw new InvalidScheduleException(errors, false);
        }
        String name = name(root.get("name"), pathName, errors);
        String cron = text(root, "cron", errors);
        String every = text(root, "every", errors);
        if (cron != null && every != null) {
            errors.add(new FieldError("every", "give cron or every, not both"));
        } else if (cron == null && every == null && !root.hasNonNull("cron") && !root.hasNonNull("every")) {
            errors.add(new FieldError("cron", "one of cron (5 fields, or 6 with seconds first) and every (an "
                    + "ISO-8601 duration such as PT1H) is required"));
        }
        if (cron != null && ScheduleSpec.cronProblem(cron) != null) {
            errors.add(new FieldError("cron", ScheduleSpec.cronProblem(cron)));
        }
        if (every != null && ScheduleSpec.everyProblem(every) != null) {
            errors.add(new FieldError("every", ScheduleSpec.everyProblem(every)));
        }
        String zone = text(root, "zone", errors);
        if (zone != null && ScheduleSpec.zoneProblem(zone) != null) {
            errors.add(new FieldError("zone", ScheduleSpec.zoneProblem(zone)));
        }
        ScheduleSpec.Overlap overlap = null;
        String o = text(root, "overlap", errors);
        if (o != null) {
            try {
                overlap = ScheduleSpec.Overlap.fromWireName(o);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("overlap", "must be \"allow\" (default) or \"skip\""));
            }
        }
        ScheduleSpec.Missed missed = null;
        String m = text(root, "missed", errors);
        if (m != null) {
            try {
                missed = ScheduleSpec.Missed.fromWireName(m);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("missed", "must be \"run-once\" (default) or \"skip\""));
            }
        }
        boolean[] tooLarge = {false};
        JobTemplate job = template(body, root.get("job"), errors, tooLarge);
        if (!errors.isEmpty()) {
            throw new InvalidScheduleException(errors, tooLarge[0] && errors.size() == 1);
        }
        try {
            return new ScheduleSpec(name, cron, every, zone, job, overlap, missed);
        } catch (IllegalArgumentException e) { // each rule is checked above; this is a safety net
            throw new InvalidScheduleException(List.of(new FieldError("", e.getMessage())), false);
        }
    }

    private static String name(JsonNode value, String pathName, List<FieldError> errors) {
        if (pathName != null) {
            if (!QueueNames.isValid(pathName)) {
                errors.add(new FieldError("name", "a schedule's name is " + QueueNames.RULE));
            } else if (value != null && !value.isNull() && !(value.isTextual() && value.asText().equals(pathName))) {
                errors.add(new FieldError("name", "must be the name in the path, " + pathName + ", or left out"));
            }
            return pathName;
        }
        if (value == null || !value.isTextual() || !QueueNames.isValid(value.asText())) {
            errors.add(new FieldError("name", "is required: " + QueueNames.RULE));
            return null;
        }
        return value.asText();
    }

    /** A string field's value; null when absent or null, or when it is not a string (an error then). */
    private static String text(JsonNode root, String field, List<FieldError> errors) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        return value.asText();
    }

    /** The template, checked by the submit's parser on its own bytes; null with errors added when it is refused. */
    private JobTemplate template(String body, JsonNode node, List<FieldError> errors, boolean[] tooLarge) {
        if (node == null || !node.isObject()) {
            errors.add(new FieldError("job", "is required: a job as POST /api/jobs takes it, {\"type\", \"payload\"?, "
                    + "\"queue\"?, \"priority\"?, \"maxAttempts\"?, \"replyTo\"?, \"ttl\"?}"));
            return null;
        }
        int before = errors.size();
        NOT_IN_A_TEMPLATE.forEach((field, message) -> {
            if (node.has(field)) {
                errors.add(new FieldError("job." + field, message));
            }
        });
        JobRequestParser.Parsed parsed;
        try {
            parsed = jobs.parseOne(new ByteArrayInputStream(rawJob(body).getBytes(StandardCharsets.UTF_8)));
        } catch (InvalidJobException e) {
            for (FieldError error : e.errors()) {
                if (!NOT_IN_A_TEMPLATE.containsKey(error.field())) {
                    errors.add(new FieldError(error.field().isEmpty() ? "job" : "job." + error.field(),
                            error.message()));
                }
            }
            tooLarge[0] = e.tooLarge();
            return null;
        }
        NewJob job = parsed.jobs().get(0);
        if (!job.runAt().isNone() && !node.has("delay") && !node.has("runAt")) {
            errors.add(new FieldError("job.runAt", NOT_IN_A_TEMPLATE.get("runAt")));
        }
        Long ttl = null;
        if (!job.expiresAt().isNone()) {
            if (job.expiresAt().relative()) {
                ttl = Math.max(1, job.expiresAt().millis());
            } else if (!node.has("expiresAt")) {
                errors.add(new FieldError("job.expiresAt", NOT_IN_A_TEMPLATE.get("expiresAt")));
            }
        }
        return errors.size() > before ? null : new JobTemplate(job.type(), parsed.queue(),
                job.priority().wireName(), job.maxAttempts(), job.payload(), job.replyTo(), ttl);
    }

    /**
     * The exact text of the body's top-level {@code job} object (the body was read as JSON already), refusing a field
     * given twice (the tree read keeps only the last of them).
     */
    private String rawJob(String body) {
        Set<String> seen = new HashSet<>();
        String raw = "";
        try (JsonParser parser = mapper.getFactory().createParser(body)) {
            parser.nextToken();
            for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
                JsonToken value = parser.nextToken();
                if (!seen.add(field)) {
                    throw new InvalidScheduleException(List.of(new FieldError("", "the body is not valid JSON: "
                            + "duplicate field '" + (field.length() > 64 ? field.substring(0, 64) + "…" : field)
                            + "'")), false);
                }
                if (field.equals("job") && value == JsonToken.START_OBJECT) {
                    int start = (int) parser.currentTokenLocation().getCharOffset();
                    parser.skipChildren();
                    int end = (int) parser.currentLocation().getCharOffset();
                    raw = body.substring(start, end);
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            // read once already: cannot happen; the submit's parser then reports an empty body
        }
        return raw;
    }
}
