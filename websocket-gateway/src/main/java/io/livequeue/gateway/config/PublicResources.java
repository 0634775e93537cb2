package io.livequeue.gateway.config;

import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Lets pages on any origin (a React dev server on :5173, say) load the client module {@code /livequeue.js} (a module
 * script is fetched with CORS) and read {@code /api/config}: both are public and carry no credentials. The rest of
 * the gateway sends no CORS headers; its sockets are guarded by {@code livequeue.gateway.allowed-origins}.
 */
@Singleton
public class PublicResources {

    void install(@Observes Router router) {
        for (String path : new String[] {"/livequeue.js", "/api/config"}) {
            router.get(path).handler(context -> {
                context.response().putHeader("Access-Control-Allow-Origin", "*");
                context.next();
            });
        }
    }
}
