package io.livequeue.core.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.livequeue.core.QueueNames;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * A recurring schedule as an operator defined it and Redis stores it (JSON, in the schedule's hash): its name, when it
 * runs ({@code cron} in {@code zone}, or {@code every} ISO-8601 duration from its creation), the job it makes, and
 * what happens to a tick while the previous job still runs ({@code overlap}) or after every scheduler was down
 * ({@code missed}). The constructor refuses what no scheduler could run; the producer explains each refusal with the
 * {@code …Problem} checks.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScheduleSpec(String name, String cron, String every, String zone, JobTemplate job, Overlap overlap,
        Missed missed) {

    public static final Duration MIN_EVERY = Duration.ofSeconds(1);
    public static final Duration MAX_EVERY = Duration.ofDays(366);
    public static final int MAX_ZONE_LENGTH = 64;

    /** A tick while the schedule's previous job is not final: {@code allow} makes a job anyway, {@code skip} none. */
    public enum Overlap {
        ALLOW("allow"), SKIP("skip");

        private final String wireName;

        Overlap(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }

        @JsonCreator
        public static Overlap fromWireName(String value) {
            for (Overlap o : values()) {
                if (o.wireName.equals(value)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("overlap must be \"allow\" or \"skip\"");
        }
    }

    /**
     * Ticks later than the misfire threshold (every scheduler was down): {@code run-once} makes one job for all of
     * them, {@code skip} none; either way the next tick is the first one after now.
     */
    public enum Missed {
        RUN_ONCE("run-once"), SKIP("skip");

        private final String wireName;

        Missed(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }

        @JsonCreator
        public static Missed fromWireName(String value) {
            for (Missed m : values()) {
                if (m.wireName.equals(value)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("missed must be \"run-once\" or \"skip\"");
        }
    }

    public ScheduleSpec {
        zone = zone == null ? "UTC" : zone;
        overlap = overlap == null ? Overlap.ALLOW : overlap;
        missed = missed == null ? Missed.RUN_ONCE : missed;
        String problem = !QueueNames.isValid(name) ? "name: " + QueueNames.RULE
                : (cron == null) == (every == null) ? "exactly one of cron and every"
                : cron != null && cronProblem(cron) != null ? "cron " + cronProblem(cron)
                : every != null && everyProblem(every) != null ? "every " + everyProblem(every)
                : zoneProblem(zone) != null ? "zone " + zoneProblem(zone)
                : job == null ? "a job template is required" : null;
        if (problem != null) {
            throw new IllegalArgumentException("not a valid schedule: " + problem);
        }
    }

    /** What is wrong with a cron expression (cron-utils' words), or null. */
    public static String cronProblem(String cron) {
        try {
            CronTimes.parse(cron);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** What is wrong with an {@code every} duration, or null. */
    public static String everyProblem(String every) {
        try {
            Duration d = every.length() > 64 ? null : Duration.parse(every);
            return d != null && d.compareTo(MIN_EVERY) >= 0 && d.compareTo(MAX_EVERY) <= 0 ? null
                    : "must be an ISO-8601 duration from PT1S to P366D, such as PT30S or PT1H";
        } catch (DateTimeParseException | ArithmeticException e) {
            return "must be an ISO-8601 duration from PT1S to P366D, such as PT30S or PT1H";
        }
    }

    /** What is wrong with a time zone id, or null. */
    public static String zoneProblem(String zone) {
        try {
            if (zone.length() <= MAX_ZONE_LENGTH) {
                ZoneId.of(zone);
                return null;
            }
        } catch (DateTimeException e) {
            // below
        }
        return "must be an IANA time zone such as Europe/Berlin, or UTC";
    }

    public ZoneId zoneId() {
        return ZoneId.of(zone);
    }

    /**
     * The first run strictly after {@code after}: the next cron time in the zone (see {@link CronTimes} for the DST
     * rules), or the next of {@code anchor + k·every} (k ≥ 1; instants, not wall time). Null: none is left.
     */
    public Instant nextAfter(Instant after, Instant anchor) {
        if (cron != null) {
            return CronTimes.parse(cron).nextAfter(after, zoneId());
        }
        long period = Duration.parse(every).toMillis();
        long k = Math.max(1, Math.floorDiv(after.toEpochMilli() - anchor.toEpochMilli(), period) + 1);
        return Instant.ofEpochMilli(anchor.toEpochMilli() + k * period);
    }
}
