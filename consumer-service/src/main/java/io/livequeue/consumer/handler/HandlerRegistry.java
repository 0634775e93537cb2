package io.livequeue.consumer.handler;

import io.quarkus.arc.All;
import io.livequeue.consumer.worker.ConsumerConfig;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds the handler of a job type among the {@link JobHandler} beans this consumer is configured to run
 * ({@code livequeue.consumer.handlers}, default all); two handlers of one type, or a configured type with no handler,
 * fail the start.
 */
@Singleton
public class HandlerRegistry {

    private final Map<String, JobHandler> handlers;

    HandlerRegistry(@All List<JobHandler> handlers, ConsumerConfig config) {
        Map<String, JobHandler> all = handlers.stream().collect(Collectors.toMap(JobHandler::type,
                Function.identity(), (a, b) -> {
                    throw new IllegalStateException("two handlers for job type '" + a.type() + "': "
                            + a.getClass().getName() + " and " + b.getClass().getName());
                }));
        if (config.handlers().isEmpty()) {
            this.handlers = Map.copyOf(all);
            return;
        }
        Map<String, JobHandler> chosen = new java.util.HashMap<>();
        for (String type : config.handlers().get()) {
            JobHandler handler = all.get(type.trim());
            if (handler == null) {
                throw new IllegalStateException("livequeue.consumer.handlers names '" + type.trim()
                        + "', which no handler runs (there are: " + new java.util.TreeSet<>(all.keySet()) + ")");
            }
            chosen.put(handler.type(), handler);
        }
        this.handlers = Map.copyOf(chosen);
    }

    public Optional<JobHandler> find(String type) {
        return Optional.ofNullable(handlers.get(type));
    }

    public java.util.Set<String> types() {
        return handlers.keySet();
    }
}
