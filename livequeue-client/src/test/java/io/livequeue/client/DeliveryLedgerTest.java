package io.livequeue.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Once per change, never older after newer: by version, and by status when a gateway sends no version. */
class DeliveryLedgerTest {

    private final DeliveryLedger ledger = new DeliveryLedger(100);

    @Test
    void eachVersionIsAdmittedOnceAndNeverAfterANewerOne() {
        assertThat(ledger.admit(update("a", JobStatus.QUEUED, 0, 1))).isTrue();
        assertThat(ledger.admit(update("a", JobStatus.ACTIVE, 1, 2))).isTrue();
        assertThat(ledger.admit(update("a", JobStatus.ACTIVE, 1, 2))).as("the same change again").isFalse();
        assertThat(ledger.admit(update("a", JobStatus.QUEUED, 0, 1))).as("an older change").isFalse();
        assertThat(ledger.admit(update("a", JobStatus.COMPLETED, 1, 4))).as("a gap is fine").isTrue();
        assertThat(ledger.admit(update("a", JobStatus.FAILED, 1, 3))).as("older than the final one").isFalse();
        assertThat(ledger.isFinal("a")).isTrue();
    }

    @Test
    void progressReportsOfARunningJobEachGetThroughAndCancelledEndsTheJob() {
        assertThat(ledger.admit(update("a", JobStatus.SCHEDULED, 0, 1))).isTrue();
        assertThat(ledger.admit(update("a", JobStatus.ACTIVE, 1, 3))).isTrue();
        assertThat(ledger.admit(update("a", JobStatus.ACTIVE, 1, 4))).as("a progress report: same status, v grown")
                .isTrue();
        assertThat(ledger.admit(update("a", JobStatus.CANCELLED, 1, 5))).isTrue();
        assertThat(ledger.isFinal("a")).as("cancelled is final: the watcher stops following the job").isTrue();
    }

    @Test
    void withoutVersionsNothingAfterCancelledIsAdmitted() {
        assertThat(ledger.admit(update("a", JobStatus.CANCELLED, 0, -1))).isTrue();
        assertThat(ledger.admit(update("a", JobStatus.QUEUED, 0, -1))).isFalse();
    }

    @Test
    void jobsAreTrackedApart() {
        assertThat(ledger.admit(update("a", JobStatus.ACTIVE, 1, 2))).isTrue();
        assertThat(ledger.admit(update("b", JobStatus.QUEUED, 0, 1))).isTrue();
        assertThat(ledger.isFinal("a")).isFalse();
    }

    @Test
    void withoutVersionsRepeatsAndAnythingAfterAFinalStateAreDropped() {
        assertThat(ledger.admit(update("a", JobStatus.ACTIVE, 1, -1))).isTrue();
        assertThat(ledger.admit(update("a", JobStatus.ACTIVE, 1, -1))).isFalse();
        assertThat(ledger.admit(update("a", JobStatus.FAILED, 1, -1))).isTrue();
        assertThat(ledger.admit(update("a", JobStatus.ACTIVE, 2, -1))).isTrue();
        assertThat(ledger.admit(update("a", JobStatus.DEAD, 2, -1))).isTrue();
        assertThat(ledger.admit(update("a", JobStatus.ACTIVE, 2, -1))).isFalse();
    }

    @Test
    void theLeastRecentlyUpdatedJobsAreForgottenBeyondTheCapacity() {
        DeliveryLedger small = new DeliveryLedger(2);
        small.admit(update("a", JobStatus.COMPLETED, 1, 3));
        small.admit(update("b", JobStatus.COMPLETED, 1, 3));
        small.admit(update("c", JobStatus.COMPLETED, 1, 3));

        assertThat(small.isFinal("a")).isFalse();
        assertThat(small.isFinal("b")).isTrue();
        assertThat(small.isFinal("c")).isTrue();
    }

    private static JobUpdate update(String id, JobStatus status, int attempts, long version) {
        return new JobUpdate(id, "echo", status, attempts, null, null, version);
    }
}
