package io.livequeue.core.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Optional;

/**
 * The runs of a cron expression in a time zone. cron-utils parses the expression and finds the next matching local
 * date-time, on a clock without a zone (local time read as UTC, where no day has a gap or a repeated hour); this class
 * maps that local time to an instant in the zone by the schedule's DST rules, which the library's own zoned search
 * does not give: a local time inside a spring-forward gap runs once, at the transition (02:30 Europe/Berlin on the
 * spring day runs at 03:00, not at 03:30 as {@link ZonedDateTime#of} would shift it), and a local time that occurs
 * twice (fall back) runs once, at its first occurrence. Stepping from local time to local time is what keeps the
 * second occurrence from running again.
 *
 * <p>Five fields are Unix cron (minute first, {@link CronType#UNIX}); six have seconds first as in Spring and Quartz,
 * read with {@link CronType#SPRING53}: unlike cron-utils' QUARTZ it accepts {@code *} in both day fields (Quartz
 * demands a {@code ?} in one of them), it still accepts {@code ?}, {@code L}, {@code W} and {@code #}, and its numeric
 * days of the week are those of Unix cron (0 or 7 Sunday, 1 Monday), so moving a 5-field expression to 6 fields keeps
 * its meaning. (Quartz numbers Sunday 1: write day names, MON-SUN, to be clear in both.)
 */
public final class CronTimes {

    /** Longest expression looked at: anything longer is refused unparsed. */
    public static final int MAX_LENGTH = 200;
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser SECONDS_FIRST =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));
    /** Local times stepped over at most to leave a repeated hour (an every-second schedule needs 3,600). */
    private static final int MAX_STEPS = 10_000;

    private final String expression;
    private final ExecutionTime times;

    private CronTimes(String expression, ExecutionTime times) {
        this.expression = expression;
        this.times = times;
    }

    /**
     * Parses a 5- or 6-field expression.
     *
     * @throws IllegalArgumentException with what is wrong (cron-utils' message), also for an expression that never
     *         matches a date (such as 30 February)
     */
    public static CronTimes parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("must be a cron expression of 5 fields (minute hour day-of-month month "
                    + "day-of-week) or 6 (second first)");
        }
        if (expression.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("must be at most " + MAX_LENGTH + " characters");
        }
        String trimmed = expression.trim();
        int fields = trimmed.split("\\s+").length;
        CronParser parser = switch (fields) {
            case 5 -> UNIX;
            case 6 -> SECONDS_FIRST;
            default -> throw new IllegalArgumentException("has " + fields + " fields: 5 (minute hour day-of-month "
                    + "month day-of-week) or 6 (second first, as in Spring and Quartz) are expected");
        };
        Cron cron;
        try {
            cron = parser.parse(trimmed).validate();
        } catch (RuntimeException e) { // cron-utils reports bad input as IllegalArgumentException, but not always
            throw new IllegalArgumentException(e.getMessage() == null ? "is not a valid cron expression"
                    : e.getMessage(), e);
        }
        CronTimes times = new CronTimes(trimmed, ExecutionTime.forCron(cron));
        try {
            if (times.nextLocal(LocalDateTime.of(2000, 1, 1, 0, 0)).isEmpty()) {
                throw new IllegalArgumentException("never matches a date");
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot be evaluated: " + e.getMessage(), e);
        }
        return times;
    }

    public String expression() {
        return expression;
    }

    /**
     * The first run strictly after {@code after} in {@code zone}, by the DST rules above; null if the expression
     * matches no later date.
     */
    public Instant nextAfter(Instant after, ZoneId zone) {
        ZoneRules rules = zone.getRules();
        LocalDateTime local = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.SECONDS);
        for (int step = 0; step < MAX_STEPS; step++) {
            Optional<LocalDateTime> next = nextLocal(local);
            if (next.isEmpty()) {
                return null;
            }
            local = next.get();
            Instant run = toInstant(local, rules);
            if (run.isAfter(after)) {
                return run;
            }
            // the local time maps to an instant already passed: a second occurrence, or a gap time run at its
            // transition; leave a repeated hour in one step
            ZoneOffsetTransition transition = rules.getTransition(local);
            if (transition != null && transition.isOverlap()) {
                local = transition.getDateTimeBefore().minusSeconds(1);
            }
        }
        return null;
    }

    /**
     * A local date-time as an instant in the zone: itself where it exists once; the first valid instant after the gap
     * (the transition) where it does not exist; its first occurrence (the earlier offset) where it exists twice.
     */
    static Instant toInstant(LocalDateTime local, ZoneRules rules) {
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.size() == 1) {
            return local.toInstant(offsets.get(0));
        }
        ZoneOffsetTransition transition = rules.getTransition(local);
        return transition.isGap() ? transition.getInstant() : local.toInstant(transition.getOffsetBefore());
    }

    /** The next matching local time strictly after {@code local}, on a clock without DST. */
    private Optional<LocalDateTime> nextLocal(LocalDateTime local) {
        return times.nextExecution(local.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime);
    }
}
