package io.livequeue.core.rdb;

/**
 * What a consumer's heartbeat did: leases it extended for its own jobs, and, for everyone, jobs it took back because
 * their lease ran out and retries it put back in line.
 */
public record Heartbeat(int extended, int reclaimed, int forwarded) {
}
