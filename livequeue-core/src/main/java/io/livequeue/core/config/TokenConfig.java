package io.livequeue.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The secret behind job tokens; producer and gateway must agree on it. */
@ConfigMapping(prefix = "livequeue.token")
public interface TokenConfig {

    String DEV_SECRET = "livequeue-dev-secret-change-me";

    /** HMAC key for job tokens. The default is for development only; set LIVEQUEUE_TOKEN_SECRET in production. */
    @WithDefault(DEV_SECRET)
    String secret();

    /** The secret before the last rotation, still accepted by the gateway until it is removed. */
    Optional<String> previousSecret();
}
