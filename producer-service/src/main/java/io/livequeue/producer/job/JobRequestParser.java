package io.livequeue.producer.job;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.livequeue.core.Ids;
import io.livequeue.core.Priority;
import io.livequeue.core.QueueNames;
import io.livequeue.core.Routing;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.producer.problem.FieldError;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a request body into jobs, or into the complete list of what is wrong with it. Hand-written rather than
 * bean validation so that wrong JSON types, unknown fields and oversize payloads each get an exact message.
 */
@Singleton
public class JobRequestParser {

    static final int MAX_ATTEMPTS_LIMIT = 20;
    private static final int DEFAULT_MAX_ATTEMPTS = 3;
    private static final Set<String> JOB_FIELDS = Set.of("type", "payload", "replyTo", "priority", "maxAttempts",
            "queue");

    /** Valid jobs, all of one queue. */
    public record Parsed(String queue, List<NewJob> jobs) {
    }

    private final ObjectReader reader;
    private final ProducerConfig config;
    private final Routing routing;

    JobRequestParser(ObjectMapper mapper, ProducerConfig config, Routing routing) {
        this.routing = routing;
        // exact numbers (a payload passes through unchanged), one JSON value per body, no duplicate fields
        this.reader = mapper.copy().setNodeFactory(JsonNodeFactory.withExactBigDecimals(true)).reader()
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.config = config;
    }

    /** Parses {@code {"type", "payload", …}}. */
    public Parsed parseOne(String body) {
        List<FieldError> errors = new ArrayList<>();
        boolean[] tooLarge = {false};
        String[] queue = {null};
        NewJob job = job(read(body), "", null, queue, errors, tooLarge);
        throwIfAny(errors, tooLarge[0]);
        return new Parsed(queue[0], List.of(job));
    }

    /**
     * Parses {@code {"queue"?, "jobs": [ … ]}}: all jobs are valid and go to one queue (a batch is one atomic step in
     * one queue's slot), or none is taken. A job's own {@code queue} wins over the batch's.
     */
    public Parsed parseBatch(String body) {
        JsonNode root = read(body);
        List<FieldError> errors = new ArrayList<>();
        unknownFields(root, Set.of("jobs", "queue"), "", errors);
        String batchQueue = null;
        JsonNode q = root.get("queue");
        if (q != null && !q.isNull()) {
            if (!q.isTextual() || !QueueNames.isValid(q.asText())) {
                errors.add(new FieldError("queue", "must be a queue name: " + QueueNames.RULE));
            } else {
                batchQueue = q.asText();
            }
        }
        JsonNode list = root.get("jobs");
        if (list == null || !list.isArray() || list.isEmpty()) {
            errors.add(new FieldError("jobs", "must be a non-empty array of jobs"));
        } else if (list.size() > config.maxBatchSize()) {
            errors.add(new FieldError("jobs", "at most " + config.maxBatchSize() + " jobs per batch, got " + list.size()));
        }
        throwIfAny(errors, false);
        boolean[] tooLarge = {false};
        String[] queue = {null};
        List<NewJob> jobs = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            jobs.add(job(list.get(i), "jobs[" + i + "].", batchQueue, queue, errors, tooLarge));
        }
        throwIfAny(errors, tooLarge[0]);
        return new Parsed(queue[0], jobs);
    }

    private JsonNode read(String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : reader.readTree(body);
        } catch (Exception e) {
            throw new InvalidJobException(List.of(new FieldError("", "the body is not valid JSON: "
                    + firstLine(e.getMessage()))), false);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidJobException(List.of(new FieldError("", "the body must be a JSON object")), false);
        }
        return root;
    }

    /**
     * One job; {@code queue[0]} is the queue of the jobs read so far (null before the first): a job that would go to
     * another queue is an error.
     */
    private NewJob job(JsonNode node, String path, String defaultQueue, String[] queue, List<FieldError> errors,
            boolean[] tooLarge) {
        if (node == null || !node.isObject()) {
            errors.add(new FieldError(path.isEmpty() ? "" : path.substring(0, path.length() - 1), "must be a JSON object"));
            return null;
        }
        int before = errors.size();
        unknownFields(node, JOB_FIELDS, path, errors);

        JsonNode type = node.get("type");
        if (type == null || !type.isTextual() || type.asText().isEmpty()) {
            errors.add(new FieldError(path + "type", "is required: one of " + new TreeSet<>(config.jobTypes())));
        } else if (!config.jobTypes().contains(type.asText()) || !Ids.isJobType(type.asText())) {
            errors.add(new FieldError(path + "type", "unknown job type '" + abbreviate(type.asText()) + "': one of "
                    + new TreeSet<>(config.jobTypes())));
        }

        Priority priority = Priority.DEFAULT;
        JsonNode p = node.get("priority");
        if (p != null && !p.isNull()) {
            priority = p.isTextual() ? Priority.fromWireName(p.asText()).orElse(null) : null;
            if (priority == null) {
                errors.add(new FieldError(path + "priority", "must be \"high\", \"normal\" or \"low\""));
            }
        }

        int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        JsonNode m = node.get("maxAttempts");
        if (m != null && !m.isNull()) {
            if (!m.isIntegralNumber() || !m.canConvertToInt() || m.asInt() < 1 || m.asInt() > MAX_ATTEMPTS_LIMIT) {
                errors.add(new FieldError(path + "maxAttempts", "must be a whole number from 1 to " + MAX_ATTEMPTS_LIMIT));
            } else {
                maxAttempts = m.asInt();
            }
        }

        String replyTo = null;
        JsonNode r = node.get("replyTo");
        if (r != null && !r.isNull()) {
            if (!r.isTextual() || !Ids.isInboxId(r.asText())) {
                errors.add(new FieldError(path + "replyTo", "must be an inbox id from the gateway's welcome event"));
            } else {
                replyTo = r.asText();
            }
        }

        String target = null;
        JsonNode q = node.get("queue");
        String named = defaultQueue;
        if (q != null && !q.isNull()) {
            named = q.isTextual() && QueueNames.isValid(q.asText()) ? q.asText() : null;
            if (named == null) {
                errors.add(new FieldError(path + "queue", "must be a queue name: " + QueueNames.RULE));
            }
        }
        if (errors.size() == before && type != null) {
            target = routing.queueOf(type.asText(), named);
            if (target == null) {
                errors.add(new FieldError(path + "queue", "jobs of type '" + type.asText() + "' go to "
                        + String.join(" or ", routing.queuesOf(type.asText())) + ", not '" + named + "'"));
            } else if (queue[0] == null) {
                queue[0] = target;
            } else if (!queue[0].equals(target)) {
                errors.add(new FieldError(path + "queue", "a batch goes to one queue: this job would go to '" + target
                        + "', the first to '" + queue[0] + "'; send one batch per queue"));
            }
        }

        String payload = null;
        JsonNode body = node.get("payload");
        if (body != null && !body.isNull()) {
            payload = body.toString();
            int size = payload.getBytes(StandardCharsets.UTF_8).length;
            if (size > config.maxPayloadBytes()) {
                errors.add(new FieldError(path + "payload", "is " + size + " bytes of JSON, more than the limit of "
                        + config.maxPayloadBytes()));
                tooLarge[0] = errors.size() - before == 1;
            }
        }
        return errors.size() > before ? null
                : new NewJob(Ids.newJobId(target), type.asText(), priority, maxAttempts, payload, replyTo);
    }

    private static void unknownFields(JsonNode node, Set<String> known, String path, List<FieldError> errors) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                errors.add(new FieldError(path + abbreviate(name), "unknown field; known fields: " + new TreeSet<>(known)));
            }
        }
    }

    private static void throwIfAny(List<FieldError> errors, boolean tooLarge) {
        if (!errors.isEmpty()) {
            throw new InvalidJobException(errors, tooLarge && errors.size() == 1);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
