package io.livequeue.core;

import java.util.Map;

/**
 * A job as stored in its Redis hash: the document every service reads. {@code payload}, {@code result} and
 * {@code errors} (every attempt's error, a JSON array) are kept as raw JSON text so they pass through the pipeline without being parsed and re-encoded; {@code version}
 * grows by one on every status change and orders the events of a job. {@code owner} is the principal that submitted
 * it (never sent to the browser: the gateway's events do not carry it). {@code runAt} is when a scheduled job is due,
 * {@code expiresAt} its deadline (not started by then, it never runs), {@code progress} the running attempt's latest
 * report ({@code {"percent":n,"data":…}}, raw JSON); each is null when the job has none.
 *
 * <p>{@code statusName} is the status as stored. It is {@code status}'s wire name, except for a status a newer
 * release wrote that this one does not know: then {@code status} is
 * {@link JobStatus#UNKNOWN} and {@code statusName} the stored name, which every view of the job shows (the REST
 * answer, the gateway's snapshot and catch-up events), so that reading such a job neither fails nor misnames it.
 */
public record Job(String id, String type, JobStatus status, Priority priority, int attempts, int maxAttempts,
        String payload, String result, String error, String errors, String replyTo, Long createdAt, Long startedAt,
        Long finishedAt, long version, String owner, String statusName, Long runAt, Long expiresAt, String progress) {

    public Job {
        if (statusName == null || status != JobStatus.UNKNOWN) {
            statusName = status.wireName();
        }
    }

    /** A job of a status this version knows, due when stored, without a deadline or progress. */
    public Job(String id, String type, JobStatus status, Priority priority, int attempts, int maxAttempts,
            String payload, String result, String error, String errors, String replyTo, Long createdAt,
            Long startedAt, Long finishedAt, long version, String owner) {
        this(id, type, status, priority, attempts, maxAttempts, payload, result, error, errors, replyTo, createdAt,
                startedAt, finishedAt, version, owner, null, null, null, null);
    }

    /** Hash field names, shared by {@link #fromHash} and the Lua scripts that write them. */
    public static final String ID = "id", TYPE = "type", STATUS = "status", PRIORITY = "priority",
            ATTEMPTS = "attempts", MAX_ATTEMPTS = "maxAttempts", PAYLOAD = "payload", RESULT = "result",
            ERROR = "error", ERRORS = "errors", REPLY_TO = "replyTo", CREATED_AT = "createdAt",
            STARTED_AT = "startedAt", FINISHED_AT = "finishedAt", VERSION = "v", OWNER = "owner", RUN_AT = "runAt",
            EXPIRES_AT = "expiresAt", PROGRESS = "progress";

    /**
     * Whose job this is when its hash names nobody: jobs stored before owners were recorded (and every job submitted
     * with {@code livequeue.auth=none}) belong to the anonymous caller.
     */
    public static final String ANONYMOUS = "anonymous";

    /** Reads a stored job; a status this version does not know is {@link JobStatus#UNKNOWN}, see {@link Job}. */
    public static Job fromHash(Map<String, String> hash) {
        String status = hash.get(STATUS);
        return new Job(hash.get(ID), hash.get(TYPE), JobStatus.fromWireName(status),
                Priority.fromWireName(hash.get(PRIORITY)).orElse(Priority.DEFAULT),
                intOf(hash.get(ATTEMPTS)), intOf(hash.get(MAX_ATTEMPTS)), emptyToNull(hash.get(PAYLOAD)),
                emptyToNull(hash.get(RESULT)), emptyToNull(hash.get(ERROR)), emptyToNull(hash.get(ERRORS)),
                emptyToNull(hash.get(REPLY_TO)),
                longOf(hash.get(CREATED_AT)), longOf(hash.get(STARTED_AT)), longOf(hash.get(FINISHED_AT)),
                intOf(hash.get(VERSION)), ownerOf(hash.get(OWNER)), status, longOf(hash.get(RUN_AT)),
                longOf(hash.get(EXPIRES_AT)), emptyToNull(hash.get(PROGRESS)));
    }

    /** The job's queue, from its id. */
    public String queue() {
        return Ids.queueOf(id);
    }

    /**
     * The event a browser gets for this job's current state, with its version ({@code v}); it names the status as
     * stored ({@link #statusName()}), also one this version does not know.
     */
    public String eventJson() {
        return JobEvent.json(id, type, statusName, attempts, result, error,
                status == JobStatus.ACTIVE ? progress : null, status == JobStatus.SCHEDULED ? runAt : null, version);
    }

    private static String ownerOf(String value) {
        return value == null || value.isEmpty() ? ANONYMOUS : value;
    }

    private static int intOf(String value) {
        return value == null || value.isEmpty() ? 0 : Integer.parseInt(value);
    }

    private static Long longOf(String value) {
        return value == null || value.isEmpty() ? null : Long.valueOf(value);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
