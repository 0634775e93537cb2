package io.livequeue.consumer.worker;

import io.livequeue.core.QueueNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Which of a consumer's queues its next claims go to, as Sidekiq and Asynq do it. {@code critical,default} is strict:
 * every claim goes to the first queue that has work, so a lower queue never runs while a higher one waits.
 * {@code critical:6,default:3,low:1} is weighted: claims are spread over the queues that have work by smooth weighted
 * round-robin (nginx's), a deterministic order in which each queue gets its weight's share and none with work starves.
 */
final class QueueSelector {

    private static final int MAX_WEIGHT = 1000;

    private final List<String> queues;
    private final int[] weights;
    private final int[] current;
    private final boolean weighted;

    private QueueSelector(List<String> queues, int[] weights, boolean weighted) {
        this.queues = List.copyOf(queues);
        this.weights = weights;
        this.current = new int[weights.length];
        this.weighted = weighted;
    }

    /**
     * Parses {@code livequeue.consumer.queues}: names in strict order, or each with a weight ({@code name:weight},
     * 1–1000) for weighted; all or none of them weighted.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static QueueSelector parse(List<String> spec) {
        List<String> names = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        int withWeight = 0;
        for (String raw : spec) {
            String item = raw.trim();
            if (item.isEmpty()) {
                continue;
            }
            int colon = item.indexOf(':');
            String name = colon < 0 ? item : item.substring(0, colon);
            int weight = 1;
            if (colon >= 0) {
                withWeight++;
                try {
                    weight = Integer.parseInt(item.substring(colon + 1));
                } catch (NumberFormatException e) {
                    weight = 0;
                }
                if (weight < 1 || weight > MAX_WEIGHT) {
                    throw new IllegalArgumentException("livequeue.consumer.queues: the weight of '" + name
                            + "' must be a whole number from 1 to " + MAX_WEIGHT);
                }
            }
            if (!QueueNames.isValid(name)) {
                throw new IllegalArgumentException("livequeue.consumer.queues: '" + name + "' is not a queue name ("
                        + QueueNames.RULE + ")");
            }
            if (names.contains(name)) {
                throw new IllegalArgumentException("livequeue.consumer.queues: '" + name + "' is listed twice");
            }
            names.add(name);
            weights.add(weight);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("livequeue.consumer.queues: name at least one queue");
        }
        if (withWeight > 0 && withWeight < names.size()) {
            throw new IllegalArgumentException("livequeue.consumer.queues: give every queue a weight (weighted, e.g. "
                    + "critical:6,default:3) or none (strict order, e.g. critical,default)");
        }
        return new QueueSelector(names, weights.stream().mapToInt(Integer::intValue).toArray(), withWeight > 0);
    }

    List<String> queues() {
        return queues;
    }

    boolean weighted() {
        return weighted;
    }

    /** The queue and its weight, as configured ({@code a:6,b:3} or {@code a,b}). */
    @Override
    public String toString() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < queues.size(); i++) {
            items.add(weighted ? queues.get(i) + ":" + weights[i] : queues.get(i));
        }
        return String.join(",", items) + (weighted ? " (weighted)" : " (strict)");
    }

    /**
     * How many of {@code claims} go to which queue, among those {@code open} accepts (the ones that may have work);
     * empty when none does.
     */
    synchronized Map<String, Integer> plan(int claims, Predicate<String> open) {
        Map<String, Integer> plan = new LinkedHashMap<>();
        if (claims <= 0) {
            return plan;
        }
        boolean[] candidate = new boolean[queues.size()];
        int total = 0;
        for (int i = 0; i < queues.size(); i++) {
            candidate[i] = open.test(queues.get(i));
            total += candidate[i] ? weights[i] : 0;
        }
        if (total == 0) {
            return plan;
        }
        if (!weighted) {
            for (int i = 0; i < queues.size(); i++) {
                if (candidate[i]) {
                    plan.put(queues.get(i), claims);
                    return plan;
                }
            }
        }
        for (int n = 0; n < claims; n++) {
            int best = -1;
            for (int i = 0; i < queues.size(); i++) {
                if (candidate[i]) {
                    current[i] += weights[i];
                    if (best < 0 || current[i] > current[best]) {
                        best = i;
                    }
                }
            }
            current[best] -= total;
            plan.merge(queues.get(best), 1, Integer::sum);
        }
        return plan;
    }
}
