package io.livequeue.producer.job;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.livequeue.core.Ids;
import io.livequeue.core.Priority;
import io.livequeue.core.QueueNames;
import io.livequeue.core.Routing;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.producer.problem.FieldError;
import io.livequeue.producer.problem.LimitedInputStream;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a request body into jobs, or into the list of what is wrong with it. Hand-written rather than bean validation
 * so that wrong JSON types, unknown fields and oversize payloads each get an exact message.
 * <p>
 * The body is read as a stream of tokens, never as a whole: nothing is held but the few fields of each job and its
 * payload, re-written compactly and only up to {@code max-payload-bytes}. So a body costs what its valid jobs will
 * cost in Redis, whatever it holds: the read stops at the first job past {@code max-batch-size}, and at the byte past
 * {@code max-body-bytes} ({@link LimitedInputStream}); payloads nest at most {@value #MAX_PAYLOAD_DEPTH} levels; the
 * factory's {@link JsonLimits} bound every number, string and nesting level. Values that are refused anyway (unknown
 * fields, wrong types) are skipped unread. Duplicate fields are refused, in payloads too (checked here, per object,
 * rather than by Jackson's detector, which would remember every name of a huge object that is only being skipped).
 */
@Singleton
public class JobRequestParser {

    static final int MAX_ATTEMPTS_LIMIT = 20;
    /**
     * Levels of nesting a payload may have ({@code {"a": [1]}} has 2): user JSON rarely needs a tenth of this, and it
     * keeps every handler's recursive walk of a payload shallow.
     */
    public static final int MAX_PAYLOAD_DEPTH = 32;
    /** Most field errors one answer lists; the rest are counted. */
    static final int MAX_LISTED_ERRORS = 100;
    private static final int DEFAULT_MAX_ATTEMPTS = 3;
    private static final Set<String> JOB_FIELDS = Set.of("type", "payload", "replyTo", "priority", "maxAttempts",
            "queue", "delay", "runAt", "ttl", "expiresAt");
    private static final Set<String> BATCH_FIELDS = Set.of("jobs", "queue");
    /** Stands for an object or array given where a scalar was expected (its content is skipped, not kept). */
    private static final JsonNode SOME_OBJECT = JsonNodeFactory.instance.objectNode();
    private static final JsonNode SOME_ARRAY = JsonNodeFactory.instance.arrayNode();

    /** Valid jobs, all of one queue. */
    public record Parsed(String queue, List<NewJob> jobs) {
    }

    private final JsonFactory factory;
    private final ProducerConfig config;
    private final Routing routing;

    JobRequestParser(ObjectMapper mapper, ProducerConfig config, Routing routing) {
        this.routing = routing;
        this.config = config;
        // the application's factory, with its JsonLimits; field names are not interned (a body of many distinct names
        // would grow the shared symbol table), and closing a parser leaves the request's stream alone
        this.factory = mapper.getFactory().copy()
                .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
                .disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** Parses {@code {"type", "payload", …}} from the request's body. */
    public Parsed parseOne(InputStream body) {
        return read(body, this::one);
    }

    /**
     * Parses {@code {"queue"?, "jobs": [ … ]}}: all jobs are valid and go to one queue (a batch is one atomic step in
     * one queue's slot), or none is taken. A job's own {@code queue} wins over the batch's.
     */
    public Parsed parseBatch(InputStream body) {
        return read(body, this::batch);
    }

    private interface Reader {
        Parsed read(JsonParser parser) throws IOException;
    }

    private interface Source {
        JsonParser open() throws IOException;
    }

    /** Reads the body as it arrives; refused before its end, it is left unread (and its connection closed). */
    private Parsed read(InputStream body, Reader reader) {
        LimitedInputStream limited = new LimitedInputStream(body == null ? InputStream.nullInputStream() : body,
                config.maxBodyBytes());
        try {
            return parse(() -> factory.createParser(limited), reader);
        } catch (InvalidJobException e) {
            throw limited.ended() ? e : e.withBodyUnread();
        }
    }

    private Parsed parse(Source source, Reader reader) {
        try (JsonParser parser = source.open()) {
            return reader.read(parser);
        } catch (StreamConstraintsException e) {
            // string values are read in scalar() and copy(), which answer for them: this is an integer whose digits
            // went past even the string limit (Jackson checks a number's length only once it has it all)
            throw e.getOriginalMessage().startsWith("String value length")
                    ? wholeBody("the body is not valid JSON: Number value length (over " + config.maxPayloadBytes()
                            + ") exceeds the maximum allowed (" + JsonLimits.MAX_NUMBER_LENGTH + ")" + at(e))
                    : notJson(e);
        } catch (JsonProcessingException e) {
            throw notJson(e);
        } catch (NumberFormatException e) { // a number whose exponent does not fit: 1e99999999999
            throw wholeBody("the body is not valid JSON: " + firstLine(e.getMessage()));
        } catch (IOException e) {
            throw wholeBody("the body could not be read: " + firstLine(e.getMessage()));
        }
    }

    private Parsed one(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw wholeBody("the body must be a JSON object");
        }
        Budget budget = new Budget();
        RawJob raw = readJob(parser, "", budget);
        expectEnd(parser);
        Errors errors = new Errors();
        String[] queue = {null};
        NewJob job = job(raw, "", null, queue, errors);
        errors.throwIfAny();
        return new Parsed(queue[0], List.of(job));
    }

    private Parsed batch(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw wholeBody("the body must be a JSON object");
        }
        Budget budget = new Budget();
        List<String> unknown = new ArrayList<>();
        int moreUnknown = 0;
        Set<String> seen = new HashSet<>();
        JsonNode q = null;
        JsonToken jobsToken = null;
        List<RawJob> list = new ArrayList<>();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonToken value = parser.nextToken();
            boolean kept = BATCH_FIELDS.contains(name) || budget.keepName();
            if (kept && !seen.add(name)) {
                throw duplicate(parser, name);
            }
            if (name.equals("queue")) {
                q = scalar(parser);
            } else if (name.equals("jobs")) {
                jobsToken = value;
                if (value == JsonToken.START_ARRAY) {
                    readJobs(parser, list, budget);
                } else {
                    parser.skipChildren();
                }
            } else {
                if (kept) {
                    unknown.add(name);
                } else {
                    moreUnknown++;
                }
                parser.skipChildren();
            }
        }
        expectEnd(parser);

        Errors errors = new Errors();
        unknown.forEach(name -> errors.add(unknownField("", name, BATCH_FIELDS)));
        errors.countMore(moreUnknown);
        String batchQueue = null;
        if (q != null && !q.isNull()) {
            if (!q.isTextual() || !QueueNames.isValid(q.asText())) {
                errors.add(new FieldError("queue", "must be a queue name: " + QueueNames.RULE));
            } else {
                batchQueue = q.asText();
            }
        }
        if (jobsToken != JsonToken.START_ARRAY || list.isEmpty()) {
            errors.add(new FieldError("jobs", "must be a non-empty array of jobs"));
        }
        errors.throwIfAny();
        String[] queue = {null};
        List<NewJob> jobs = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            jobs.add(job(list.get(i), "jobs[" + i + "].", batchQueue, queue, errors));
        }
        errors.throwIfAny();
        return new Parsed(queue[0], jobs);
    }

    /** The elements of {@code "jobs"}: refused at the first one past the batch limit, before it is read. */
    private void readJobs(JsonParser parser, List<RawJob> list, Budget budget) throws IOException {
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == null) {
                throw wholeBody("the body is not valid JSON: it ends inside the jobs array");
            }
            if (list.size() == config.maxBatchSize()) {
                throw new InvalidJobException(List.of(new FieldError("jobs", "at most " + config.maxBatchSize()
                        + " jobs per batch, got more: send them in several batches")), false);
            }
            if (token == JsonToken.START_OBJECT) {
                list.add(readJob(parser, "jobs[" + list.size() + "].", budget));
            } else {
                parser.skipChildren();
                list.add(RawJob.NOT_AN_OBJECT);
            }
        }
    }

    /**
     * One job object, the parser on its START_OBJECT: the scalar fields are kept as they are (an object or array in
     * their place only as a marker), the payload as compact JSON, unknown fields by name.
     */
    private RawJob readJob(JsonParser parser, String path, Budget budget) throws IOException {
        RawJob job = new RawJob(path, JsonNodeFactory.instance.objectNode());
        Set<String> seen = new HashSet<>();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            parser.nextToken();
            boolean known = JOB_FIELDS.contains(name);
            boolean kept = known || budget.keepName();
            if (kept && !seen.add(name)) {
                throw duplicate(parser, name);
            }
            if (name.equals("payload")) {
                payload(parser, job);
            } else if (known) {
                job.fields.set(name, scalar(parser));
            } else {
                if (kept) {
                    job.unknown.add(name);
                } else {
                    job.moreUnknown++;
                }
                parser.skipChildren();
            }
        }
        return job;
    }

    /** The current value if it is a scalar; a marker (its content skipped) if it is an object or array. */
    private static JsonNode scalar(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case START_OBJECT -> {
                parser.skipChildren();
                yield SOME_OBJECT;
            }
            case START_ARRAY -> {
                parser.skipChildren();
                yield SOME_ARRAY;
            }
            case VALUE_STRING -> {
                try {
                    yield TextNode.valueOf(parser.getText());
                } catch (StreamConstraintsException e) {
                    throw notJson(e);
                }
            }
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> IntNode.valueOf(parser.getIntValue());
                case LONG -> LongNode.valueOf(parser.getLongValue());
                default -> BigIntegerNode.valueOf(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> DecimalNode.valueOf(parser.getDecimalValue());
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            default -> NullNode.instance;
        };
    }

    /**
     * Copies the payload (the parser on its first token) as compact JSON, numbers exact. Past the size or depth
     * limit nothing more is kept: the rest is only walked through to its end.
     */
    private void payload(JsonParser parser, RawJob job) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return;
        }
        PayloadWriter out = new PayloadWriter(config.maxPayloadBytes());
        Deque<Set<String>> names = new ArrayDeque<>();
        int depth = 0;
        boolean copying = true;
        try (JsonGenerator generator = factory.createGenerator(out)) {
            while (true) {
                JsonToken token = parser.currentToken();
                if (token.isStructStart() && ++depth > MAX_PAYLOAD_DEPTH && copying) {
                    job.payloadProblem = "nests more than " + MAX_PAYLOAD_DEPTH + " levels deep";
                    copying = false;
                    names.clear();
                } else if (token.isStructEnd()) {
                    depth--;
                }
                if (copying) {
                    if (token == JsonToken.START_OBJECT) {
                        names.push(new HashSet<>());
                    } else if (token == JsonToken.END_OBJECT) {
                        names.pop();
                    } else if (token == JsonToken.FIELD_NAME && !names.peek().add(parser.currentName())) {
                        throw duplicate(parser, parser.currentName());
                    }
                    copy(parser, generator, job);
                    if (out.over()) {
                        tooLarge(job);
                        copying = false;
                        names.clear();
                    }
                }
                if (depth == 0) {
                    break;
                }
                if (parser.nextToken() == null) {
                    throw wholeBody("the body is not valid JSON: it ends inside a payload");
                }
            }
        }
        if (job.payloadProblem == null && out.over()) { // the generator's last buffer, written at close
            tooLarge(job);
        }
        if (job.payloadProblem == null) {
            job.payload = out.text();
        }
    }

    private void tooLarge(RawJob job) {
        job.payloadProblem = "is more than " + config.maxPayloadBytes() + " bytes of JSON, the limit";
        job.payloadTooLarge = true;
    }

    /** One token to the payload; a string too long to fit any payload ends the whole read with a 413. */
    private void copy(JsonParser parser, JsonGenerator generator, RawJob job) throws IOException {
        try {
            generator.copyCurrentEventExact(parser);
        } catch (StreamConstraintsException e) {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                throw e;
            }
            throw new InvalidJobException(List.of(new FieldError(job.path + "payload", "holds a string of more than "
                    + config.maxPayloadBytes() + " characters, over the payload limit of " + config.maxPayloadBytes()
                    + " bytes")), true);
        }
    }

    private static void expectEnd(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw wholeBody("the body is not valid JSON: there is more after the JSON object");
        }
    }

    /**
     * One job, validated; {@code queue[0]} is the queue of the jobs read so far (null before the first): a job that
     * would go to another queue is an error.
     */
    private NewJob job(RawJob raw, String path, String defaultQueue, String[] queue, Errors errors) {
        if (raw == RawJob.NOT_AN_OBJECT) {
            errors.add(new FieldError(path.isEmpty() ? "" : path.substring(0, path.length() - 1),
                    "must be a JSON object"));
            return null;
        }
        ObjectNode node = raw.fields;
        int before = errors.count();
        raw.unknown.forEach(name -> errors.add(unknownField(path, name, JOB_FIELDS)));
        errors.countMore(raw.moreUnknown);

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
        if (errors.count() == before && type != null) {
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

        if (raw.payloadProblem != null) {
            FieldError error = new FieldError(path + "payload", raw.payloadProblem);
            if (raw.payloadTooLarge && errors.count() == before) {
                errors.addTooLarge(error);
            } else {
                errors.add(error);
            }
        }
        NewJob.When runAt = when(node, path, "delay", "runAt", errors);
        NewJob.When expiresAt = when(node, path, "ttl", "expiresAt", errors);
        if (!runAt.isNone() && !expiresAt.isNone()) {
            long now = System.currentTimeMillis();
            if (expiresAt.resolve(now) <= runAt.resolve(now)) {
                errors.add(new FieldError(path + (expiresAt.relative() ? "ttl" : "expiresAt"),
                        "the job would expire before it is due (" + (runAt.relative() ? "delay" : "runAt") + ")"));
            }
        }
        return errors.count() > before ? null
                : new NewJob(Ids.newJobId(target), type.asText(), priority, maxAttempts, raw.payload, replyTo,
                        runAt, expiresAt);
    }

    /**
     * A point in time given as a duration from now ({@code relative}: whole milliseconds, or an ISO-8601 duration such
     * as {@code "PT5M"}) or as an RFC 3339 instant ({@code absolute}, with its offset), not both; none when neither is
     * given. Within {@code max-delay} ahead; an instant in the past is refused for a deadline and means "now" for a
     * due time.
     */
    private NewJob.When when(ObjectNode node, String path, String relative, String absolute, Errors errors) {
        JsonNode after = node.get(relative);
        JsonNode at = node.get(absolute);
        boolean hasAfter = after != null && !after.isNull();
        boolean hasAt = at != null && !at.isNull();
        if (hasAfter && hasAt) {
            errors.add(new FieldError(path + absolute, "give " + relative + " or " + absolute + ", not both"));
            return NewJob.When.NONE;
        }
        long max = config.maxDelay().toMillis();
        boolean deadline = relative.equals("ttl");
        if (hasAfter) {
            Duration duration = null;
            if (after.isIntegralNumber() && after.canConvertToLong()) {
                duration = Duration.ofMillis(after.asLong());
            } else if (after.isTextual()) {
                try {
                    duration = Duration.parse(after.asText());
                } catch (java.time.format.DateTimeParseException e) {
                    duration = null;
                }
            }
            if (duration == null || duration.isNegative() || (deadline && duration.isZero())) {
                errors.add(new FieldError(path + relative, "must be " + (deadline ? "a positive" : "a")
                        + " number of milliseconds or an ISO-8601 duration such as \"PT5M\""));
            } else if (duration.toMillis() > max) {
                errors.add(new FieldError(path + relative, "must be at most " + config.maxDelay()
                        + " (livequeue.producer.max-delay)"));
            } else {
                return NewJob.When.after(duration);
            }
            return NewJob.When.NONE;
        }
        if (hasAt) {
            java.time.Instant instant = null;
            if (at.isTextual()) {
                try {
                    instant = java.time.OffsetDateTime.parse(at.asText()).toInstant();
                } catch (java.time.format.DateTimeParseException e) {
                    instant = null;
                }
            }
            long now = System.currentTimeMillis();
            if (instant == null) {
                errors.add(new FieldError(path + absolute, "must be an RFC 3339 date-time with its offset, such as "
                        + "\"2030-01-31T09:00:00+01:00\""));
            } else if (instant.toEpochMilli() - now > max) {
                errors.add(new FieldError(path + absolute, "must be at most " + config.maxDelay()
                        + " ahead (livequeue.producer.max-delay)"));
            } else if (deadline && instant.toEpochMilli() <= now) {
                errors.add(new FieldError(path + absolute, "is in the past: the job could never run"));
            } else {
                return NewJob.When.at(instant);
            }
        }
        return NewJob.When.NONE;
    }

    private static FieldError unknownField(String path, String name, Set<String> known) {
        return new FieldError(path + abbreviate(name), "unknown field; known fields: " + new TreeSet<>(known));
    }

    private static InvalidJobException wholeBody(String message) {
        return new InvalidJobException(List.of(new FieldError("", message)), false);
    }

    private static InvalidJobException notJson(JsonProcessingException e) {
        return wholeBody("the body is not valid JSON: " + firstLine(e.getOriginalMessage()) + at(e));
    }

    private static String at(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    private static InvalidJobException duplicate(JsonParser parser, String name) {
        JsonLocation at = parser.currentTokenLocation();
        return wholeBody("the body is not valid JSON: duplicate field '" + abbreviate(name) + "' (line "
                + at.getLineNr() + ", column " + at.getColumnNr() + ")");
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

    /** What was read of one job element, before it is validated (which needs the batch's queue, maybe read later). */
    private static final class RawJob {

        static final RawJob NOT_AN_OBJECT = new RawJob("", null);

        final String path;
        final ObjectNode fields;
        final List<String> unknown = new ArrayList<>(0);
        int moreUnknown;
        String payload;
        String payloadProblem;
        boolean payloadTooLarge;

        RawJob(String path, ObjectNode fields) {
            this.path = path;
            this.fields = fields;
        }
    }

    /** Unknown field names kept for the answer, over the whole body; past that they are only counted. */
    private static final class Budget {
        private int names = MAX_LISTED_ERRORS;

        boolean keepName() {
            return names-- > 0;
        }
    }

    /** The errors of one request: every one counted, the first {@link #MAX_LISTED_ERRORS} listed. */
    private static final class Errors {
        private final List<FieldError> listed = new ArrayList<>();
        private int count;
        private boolean tooLarge;

        void add(FieldError error) {
            if (listed.size() < MAX_LISTED_ERRORS) {
                listed.add(error);
            }
            count++;
        }

        /** An oversize payload, its job's only error: the answer is a 413 if it is the request's only one. */
        void addTooLarge(FieldError error) {
            add(error);
            tooLarge = count == 1;
        }

        void countMore(int errors) {
            count += errors;
        }

        int count() {
            return count;
        }

        void throwIfAny() {
            if (count > 0) {
                throw new InvalidJobException(listed, tooLarge && count == 1, count);
            }
        }
    }

    /**
     * Where a payload is re-written: keeps it while it is within {@code limit} bytes of UTF-8, counts on past that
     * without keeping anything.
     */
    private static final class PayloadWriter extends Writer {
        private final int limit;
        private StringBuilder text = new StringBuilder(64);
        private long bytes;

        PayloadWriter(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                char c = chars[i];
                bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3; // a surrogate pair: 4
            }
            if (text != null) {
                if (bytes <= limit) {
                    text.append(chars, offset, length);
                } else {
                    text = null;
                }
            }
        }

        @Override
        public void write(String s, int offset, int length) {
            write(s.substring(offset, offset + length).toCharArray(), 0, length);
        }

        boolean over() {
            return bytes > limit;
        }

        String text() {
            return text.toString();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
