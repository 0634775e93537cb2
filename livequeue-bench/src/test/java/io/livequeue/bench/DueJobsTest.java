package io.livequeue.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Lateness = first {@code startedAt} − {@code runAt}, counted for the run's own jobs only, in whatever order the
 * 202s and the events arrive.
 */
class DueJobsTest {

    private static final long LEAD = 1_000;

    private final DueJobs jobs = new DueJobs(16, LEAD);

    @Test
    void latenessIsTheFirstStartMinusTheDueTime() {
        accept("a", 1_000, 1_003);
        accept("b", 2_000, 2_000);
        accept("c", 3_000, 3_012);

        DueJobs.Lateness lateness = jobs.lateness();

        assertThat(lateness.millis()).containsExactlyInAnyOrder(3L, 0L, 12L);
        assertThat(lateness.early()).isZero();
        assertThat(lateness.accepted()).isEqualTo(3);
        assertThat(lateness.started()).isEqualTo(3);
        assertThat(lateness.completed()).isEqualTo(3);
    }

    @Test
    void aJobThatStartedBeforeItsDueTimeIsEarly() {
        accept("a", 1_000, 999);
        accept("b", 2_000, 2_001);

        DueJobs.Lateness lateness = jobs.lateness();

        assertThat(lateness.early()).isEqualTo(1);
        assertThat(lateness.millis()).containsExactlyInAnyOrder(-1L, 1L);
    }

    @Test
    void eventsBeforeThe202AndLaterActivesCountOnce() {
        jobs.due("a", 5_000);
        jobs.started("a", 4_000, 5_004);
        jobs.started("a", 4_000, 5_090); // a progress report, or a retry's start: not the start of the due job
        jobs.due("a", 4_000); // a second due time never replaces the first
        jobs.ended("a");
        assertThat(jobs.endedAccepted()).as("not one of the run's jobs yet").isZero();

        jobs.accepted("a");

        assertThat(jobs.endedAccepted()).isEqualTo(1);
        assertThat(jobs.lateness().millis()).containsExactly(4L);
    }

    @Test
    void jobsThatAreNotTheRunsAreLeftOut() {
        jobs.due("probe", 1_000);
        jobs.started("probe", 1, 9_000);
        jobs.ended("probe");
        accept("a", 1_000, 1_001);

        assertThat(jobs.lateness().accepted()).isEqualTo(1);
        assertThat(jobs.lateness().millis()).containsExactly(1L);
    }

    @Test
    void withoutAGivenDueTimeTheJobWasDueALeadAfterItWasStored() {
        jobs.accepted("a");
        jobs.started("a", 7_000, 7_000 + LEAD + 6);

        DueJobs.Lateness lateness = jobs.lateness();

        assertThat(lateness.millis()).containsExactly(6L);
        assertThat(lateness.dueFromLead()).isEqualTo(1);
    }

    @Test
    void missingStartsAndRepeatsAreCountedApart() {
        jobs.accepted("never-started");
        jobs.due("never-started", 1_000);
        accept("twice", 3_000, 3_001);
        jobs.ended("twice");
        jobs.accepted("dead");
        jobs.failed("dead");
        jobs.started("unknown-start", 1, 0); // an envelope without startedAt
        jobs.accepted("unknown-start");
        jobs.accepted("no-times");
        jobs.started("no-times", 0, 5_000); // an envelope without createdAt, and no due time given
        jobs.ended("no-times");

        DueJobs.Lateness lateness = jobs.lateness();

        assertThat(lateness.accepted()).isEqualTo(5);
        assertThat(lateness.started()).isEqualTo(1);
        assertThat(lateness.dueFromLead()).isZero();
        assertThat(lateness.completed()).isEqualTo(2);
        assertThat(lateness.duplicated()).isEqualTo(1);
        assertThat(lateness.failed()).isEqualTo(1);
        assertThat(lateness.millis()).containsExactly(1L);
        assertThat(jobs.endedAccepted()).isEqualTo(2);
    }

    @Test
    void runAtIsReadFromAScheduledEvent() {
        assertThat(DueJobs.runAtOf("{\"event\":\"job\",\"id\":\"a\",\"type\":\"echo\",\"status\":\"scheduled\","
                + "\"attempts\":0,\"result\":null,\"error\":null,\"runAt\":1795991497789,\"v\":1}"))
                .isEqualTo(1795991497789L);
        assertThat(DueJobs.runAtOf("{\"event\":\"job\",\"status\":\"queued\",\"v\":2}")).isEqualTo(DueJobs.UNSET);
        assertThat(DueJobs.runAtOf("{\"runAt\":null}")).isEqualTo(DueJobs.UNSET);
    }

    private void accept(String id, long runAt, long startedAt) {
        jobs.due(id, runAt);
        jobs.accepted(id);
        jobs.started(id, runAt - LEAD, startedAt);
        jobs.ended(id);
    }
}
