package io.livequeue.gateway.config;

import io.livequeue.core.JobTokens;
import io.livequeue.core.OperatorToken;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Makes the job-token signer and the operator token at start, so that a production gateway with a development or
 * short secret refuses to start (with one line naming the variable) instead of at its first socket.
 */
@Singleton
public class SecretsCheck {

    void check(@Observes StartupEvent event, JobTokens tokens, OperatorToken operatorToken) {
        // making them is the check (CoreBeans, OperatorBeans)
    }
}
