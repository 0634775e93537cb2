package io.livequeue.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When schedules run: 5- and 6-field cron, {@code every}, time zones, and the DST rules, with the clock handed in (the
 * instant to compute from), so every case is exact: a daily 02:30 in Europe/Berlin runs once on the spring-forward
 * day, at 03:00 (the first valid instant after the gap), and once on the fall-back day, at the first 02:30.
 */
class CronTimesTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void fiveFieldsAreUnixCronMinuteFirst() {
        CronTimes daily = CronTimes.parse("30 2 * * *");

        assertThat(daily.nextAfter(Instant.parse("2026-06-01T00:00:00Z"), UTC))
                .isEqualTo(Instant.parse("2026-06-01T02:30:00Z"));
        assertThat(daily.nextAfter(Instant.parse("2026-06-01T02:30:00Z"), UTC)).as("strictly after")
                .isEqualTo(Instant.parse("2026-06-02T02:30:00Z"));
        assertThat(CronTimes.parse("*/15 9-17 * * MON-FRI").nextAfter(Instant.parse("2026-06-05T17:50:00Z"), UTC))
                .as("Friday evening to Monday morning").isEqualTo(Instant.parse("2026-06-08T09:00:00Z"));
    }

    @Test
    void sixFieldsHaveSecondsFirstAndAcceptStarInBothDayFields() {
        assertThat(CronTimes.parse("*/10 * * * * *").nextAfter(Instant.parse("2026-06-01T00:00:00.500Z"), UTC))
                .isEqualTo(Instant.parse("2026-06-01T00:00:10Z"));
        assertThat(CronTimes.parse("0 30 2 * * *").nextAfter(Instant.parse("2026-06-01T00:00:00Z"), UTC))
                .isEqualTo(Instant.parse("2026-06-01T02:30:00Z"));
        // Quartz style with ? is accepted too; a numeric day of the week counts as in Unix cron: 1 is Monday
        assertThat(CronTimes.parse("0 0 9 ? * 1").nextAfter(Instant.parse("2026-06-03T00:00:00Z"), UTC))
                .isEqualTo(Instant.parse("2026-06-08T09:00:00Z"));
        assertThat(CronTimes.parse("0 0 9 ? * MON").nextAfter(Instant.parse("2026-06-03T00:00:00Z"), UTC))
                .isEqualTo(Instant.parse("2026-06-08T09:00:00Z"));
    }

    @Test
    void badExpressionsAreRefusedWithCronUtilsWords() {
        assertThatThrownBy(() -> CronTimes.parse("61 * * * *")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("61");
        assertThatThrownBy(() -> CronTimes.parse("* * *")).hasMessageContaining("3 fields");
        assertThatThrownBy(() -> CronTimes.parse("0 0 0 30 2 *")).hasMessageContaining("never matches");
        assertThatThrownBy(() -> CronTimes.parse("x".repeat(500))).hasMessageContaining("at most");
        for (String hostile : List.of("", " ", "@daily", "* * * * * * * *", "1-99999999999 * * * *", "*/0 * * * *",
                "L W # ? * *", "0 0 0 ? * ? ", "- - - - -", ", , , , ,", "5/ * * * *")) {
            assertThatThrownBy(() -> CronTimes.parse(hostile)).as(hostile)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aZoneMovesTheRunsToItsLocalTime() {
        CronTimes nine = CronTimes.parse("0 9 * * *");

        assertThat(nine.nextAfter(Instant.parse("2026-01-15T00:00:00Z"), BERLIN)).as("winter, +01:00")
                .isEqualTo(Instant.parse("2026-01-15T08:00:00Z"));
        assertThat(nine.nextAfter(Instant.parse("2026-07-15T00:00:00Z"), BERLIN)).as("summer, +02:00")
                .isEqualTo(Instant.parse("2026-07-15T07:00:00Z"));
        assertThat(nine.nextAfter(Instant.parse("2026-07-15T00:00:00Z"), ZoneId.of("America/New_York")))
                .isEqualTo(Instant.parse("2026-07-15T13:00:00Z"));
    }

    @Test
    void dailyAt0230BerlinAcrossSpringForwardRunsOnceAtTheTransition() {
        List<Instant> runs = runs(CronTimes.parse("30 2 * * *"), Instant.parse("2026-03-27T00:00:00Z"),
                Instant.parse("2026-04-01T00:00:00Z"));

        assertThat(runs).containsExactly(
                Instant.parse("2026-03-27T01:30:00Z"), // 02:30 +01:00
                Instant.parse("2026-03-28T01:30:00Z"),
                Instant.parse("2026-03-29T01:00:00Z"), // 02:30 does not exist: 03:00 +02:00, the first valid instant
                Instant.parse("2026-03-30T00:30:00Z"), // 02:30 +02:00
                Instant.parse("2026-03-31T00:30:00Z"));
    }

    @Test
    void dailyAt0230BerlinAcrossFallBackRunsOnceAtTheFirstOccurrence() {
        List<Instant> runs = runs(CronTimes.parse("0 30 2 * * *"), Instant.parse("2026-10-23T00:00:00Z"),
                Instant.parse("2026-10-28T00:00:00Z"));

        assertThat(runs).containsExactly(
                Instant.parse("2026-10-23T00:30:00Z"), // 02:30 +02:00
                Instant.parse("2026-10-24T00:30:00Z"),
                Instant.parse("2026-10-25T00:30:00Z"), // the first 02:30 (+02:00); the second (01:30Z) does not run
                Instant.parse("2026-10-26T01:30:00Z"), // 02:30 +01:00
                Instant.parse("2026-10-27T01:30:00Z"));
    }

    @Test
    void computedFromInsideTheRepeatedHourTheSecondOccurrenceStillDoesNotRun() {
        // a scheduler asking at 02:15 of the second pass (01:15Z): the first 02:30 is past, the second never runs
        assertThat(CronTimes.parse("30 2 * * *").nextAfter(Instant.parse("2026-10-25T01:15:00Z"), BERLIN))
                .isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
        // every 15 minutes: the repeated hour runs once (first pass), then 03:00 +01:00
        List<Instant> runs = runs(CronTimes.parse("*/15 * * * *"), Instant.parse("2026-10-25T00:20:00Z"),
                Instant.parse("2026-10-25T02:20:00Z"));
        assertThat(runs).containsExactly(Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-25T00:45:00Z"),
                Instant.parse("2026-10-25T02:00:00Z"), Instant.parse("2026-10-25T02:15:00Z"));
    }

    @Test
    void timesInsideTheGapCollapseIntoOneRunAtTheTransition() {
        List<Instant> runs = runs(CronTimes.parse("*/20 * * * *"), Instant.parse("2026-03-29T00:30:00Z"),
                Instant.parse("2026-03-29T01:30:00Z"));

        assertThat(runs).containsExactly(Instant.parse("2026-03-29T00:40:00Z"), // 01:40 +01:00
                Instant.parse("2026-03-29T01:00:00Z"), // 02:00, 02:20, 02:40 and 03:00 are all 03:00 +02:00: once
                Instant.parse("2026-03-29T01:20:00Z"));
    }

    @Test
    void everyCountsFromTheAnchorInInstantsNotWallTime() {
        Instant anchor = Instant.parse("2026-03-29T00:00:00.250Z");
        ScheduleSpec hourly = spec(null, "PT1H", "Europe/Berlin");

        assertThat(hourly.nextAfter(anchor, anchor)).isEqualTo(Instant.parse("2026-03-29T01:00:00.250Z"));
        assertThat(hourly.nextAfter(Instant.parse("2026-03-29T01:00:00.250Z"), anchor)).as("across the DST gap")
                .isEqualTo(Instant.parse("2026-03-29T02:00:00.250Z"));
        assertThat(hourly.nextAfter(Instant.parse("2026-03-29T05:17:00Z"), anchor)).as("after downtime: on the grid")
                .isEqualTo(Instant.parse("2026-03-29T06:00:00.250Z"));
        assertThat(spec(null, "PT1S", null).nextAfter(anchor.minusSeconds(5), anchor)).as("never before the first")
                .isEqualTo(anchor.plusSeconds(1));
    }

    @Test
    void aCronSpecRunsInItsZoneDefaultUtc() {
        assertThat(spec("0 9 * * *", null, null).nextAfter(Instant.parse("2026-07-15T00:00:00Z"), Instant.EPOCH))
                .isEqualTo(Instant.parse("2026-07-15T09:00:00Z"));
        assertThat(spec("0 9 * * *", null, "Europe/Berlin").nextAfter(Instant.parse("2026-07-15T00:00:00Z"),
                Instant.EPOCH)).isEqualTo(Instant.parse("2026-07-15T07:00:00Z"));
    }

    @Test
    void aSpecRefusesWhatNoSchedulerCouldRun() {
        assertThatThrownBy(() -> spec("* * * * *", "PT1S", null)).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> spec(null, null, null)).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> spec(null, "PT0.5S", null)).hasMessageContaining("every");
        assertThatThrownBy(() -> spec(null, "P400D", null)).hasMessageContaining("every");
        assertThatThrownBy(() -> spec(null, "PT1S", "Mars/Olympus")).hasMessageContaining("zone");
        assertThat(ScheduleSpec.everyProblem("PT1S")).isNull();
        assertThat(ScheduleSpec.everyProblem("P366D")).isNull();
        assertThat(ScheduleSpec.everyProblem("soon")).isNotNull();
    }

    private static ScheduleSpec spec(String cron, String every, String zone) {
        return new ScheduleSpec("s", cron, every, zone, new JobTemplate("echo", "default", "normal", 3, null, null,
                null), null, null);
    }

    /** Every run in [from, to), each computed from the one before, as a scheduler steps. */
    private static List<Instant> runs(CronTimes cron, Instant from, Instant to) {
        List<Instant> runs = new ArrayList<>();
        for (Instant run = cron.nextAfter(from, BERLIN); run.isBefore(to); run = cron.nextAfter(run, BERLIN)) {
            runs.add(run);
        }
        return runs;
    }
}
