package io.livequeue.gateway.dashboard;

/**
 * One second of the live charts: {@code t} its start (epoch ms, gateway clock), attempts completed and failed in it,
 * jobs cancelled in it (before or while they ran), and the average and maximum pickup latency and run time in
 * milliseconds (null when no job gave one).
 */
public record SeriesPoint(long t, long completed, long failed, long cancelled, Long pickupAvg, Long pickupMax,
        Long runAvg, Long runMax) {

    static SeriesPoint quiet(long second) {
        return new SeriesPoint(second * 1000, 0, 0, 0, null, null, null, null);
    }
}
