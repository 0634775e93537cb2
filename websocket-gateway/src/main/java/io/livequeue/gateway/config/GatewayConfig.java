package io.livequeue.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The gateway's own settings; see the "gateway" section of application.properties. */
@ConfigMapping(prefix = "livequeue.gateway")
public interface GatewayConfig {

    /** Where the demo page sends jobs; when unset the page uses its own host name on port 8081. */
    Optional<String> producerUrl();

    /** Jobs one connection may watch at once. */
    @WithDefault("1000")
    int maxSubscriptionsPerConnection();
}
