package io.livequeue.core.config;

import io.quarkus.arc.Unremovable;
import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.RedisOptions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * TLS for every Redis client of a service from the two settings an operator gives once: REDIS_URL with
 * {@code rediss://} (which every named client, like the consumer's "blocking" one, takes from
 * {@code quarkus.redis.hosts}, credentials included) and LIVEQUEUE_REDIS_CA ({@link StorageConfig#ca()}). Quarkus
 * configures TLS per client ({@code quarkus.redis.<client>.tls*}), leaves host names unchecked by default, and warns
 * on every start of a plain {@code redis://} client given a named TLS configuration; customizing each client as it is
 * made covers the clients there are and any added later, checks host names, and warns only about a CA set for a
 * client that does not use TLS. The Quarkus settings still work for what this does not cover (client certificates).
 */
@Singleton
@Unremovable
public class RedisTls implements RedisOptionsCustomizer {

    private static final Logger LOG = Logger.getLogger(RedisTls.class);

    private final Optional<Path> ca;
    private final boolean verifyHostname;

    @Inject
    RedisTls(StorageConfig config) {
        this(config.ca(), config.verifyHostname());
    }

    RedisTls(Optional<Path> ca, boolean verifyHostname) {
        ca.ifPresent(path -> {
            if (!Files.isReadable(path) || Files.isDirectory(path)) {
                throw new IllegalStateException("livequeue.redis.ca (LIVEQUEUE_REDIS_CA) is " + path
                        + ", which is not a readable file: give the PEM file of the CA that signed the certificate of "
                        + "Redis");
            }
        });
        this.ca = ca;
        this.verifyHostname = verifyHostname;
    }

    @Override
    public void customize(String clientName, RedisOptions options) {
        boolean tls = options.getEndpoints().stream().anyMatch(endpoint -> endpoint.startsWith("rediss://"));
        if (!tls) {
            ca.ifPresent(path -> LOG.warnf("livequeue.redis.ca is set (%s), but the Redis client %s connects without "
                    + "TLS: use a rediss:// URL", path, clientName));
            return;
        }
        NetClientOptions net = options.getNetClientOptions();
        ca.ifPresent(path -> net.setTrustOptions(new PemTrustOptions().addCertPath(path.toString())));
        net.setHostnameVerificationAlgorithm(verifyHostname ? "HTTPS" : "");
    }
}
