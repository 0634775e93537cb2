package io.livequeue.producer.auth;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How callers of the producer prove who they are ({@code livequeue.auth}): {@code api-keys}, {@code jwt}, both, or
 * {@code none} on a trusted network. With {@code none} a caller without credentials is the anonymous caller, who may
 * submit and read its (anonymous) jobs; credentials that are presented are checked all the same.
 */
@Singleton
public class AuthSettings {

    public static final String NONE = "none", API_KEYS = "api-keys", JWT = "jwt";

    private final Optional<List<String>> mode;
    private final Duration apiKeyCache;

    AuthSettings(@ConfigProperty(name = "livequeue.auth") Optional<List<String>> mode,
            @ConfigProperty(name = "livequeue.api-keys.cache", defaultValue = "5s") Duration apiKeyCache) {
        this.mode = mode.map(values -> values.stream().map(String::trim).map(String::toLowerCase).toList());
        this.apiKeyCache = apiKeyCache;
    }

    /** The configured mechanisms; empty when {@code livequeue.auth} is not set. */
    public Optional<Set<String>> mode() {
        return mode.map(Set::copyOf);
    }

    /** True when callers without credentials are let in as the anonymous caller. */
    public boolean anonymousAllowed() {
        return mode.map(m -> m.contains(NONE)).orElse(false);
    }

    public boolean apiKeys() {
        return mode.map(m -> m.contains(API_KEYS)).orElse(false);
    }

    public boolean jwt() {
        return mode.map(m -> m.contains(JWT)).orElse(false);
    }

    /** How long a verified API key is remembered; a key revoked elsewhere works that much longer here. */
    public Duration apiKeyCache() {
        return apiKeyCache;
    }
}
