package io.livequeue.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The operators' shared secret: it opens the gateway's dashboard channel and the producer's dead-letter actions, so
 * the two services must agree on it. One token for all operators keeps the first version simple; put the services
 * behind a real identity provider when operators need to be told apart.
 */
@ConfigMapping(prefix = "livequeue.operator")
public interface OperatorConfig {

    String DEV_TOKEN = "livequeue-dev-operator-token";

    /** Bearer token of the operators. The default is for development only; set LIVEQUEUE_OPERATOR_TOKEN. */
    @WithDefault(DEV_TOKEN)
    String token();
}
