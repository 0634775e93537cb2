package io.livequeue.consumer.handler;

import io.quarkus.arc.All;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Finds the handler of a job type among all {@link JobHandler} beans; two handlers of one type fail the start. */
@Singleton
public class HandlerRegistry {

    private final Map<String, JobHandler> handlers;

    HandlerRegistry(@All List<JobHandler> handlers) {
        this.handlers = handlers.stream().collect(Collectors.toUnmodifiableMap(JobHandler::type, Function.identity(),
                (a, b) -> {
                    throw new IllegalStateException("two handlers for job type '" + a.type() + "': "
                            + a.getClass().getName() + " and " + b.getClass().getName());
                }));
    }

    public Optional<JobHandler> find(String type) {
        return Optional.ofNullable(handlers.get(type));
    }

    public java.util.Set<String> types() {
        return handlers.keySet();
    }
}
