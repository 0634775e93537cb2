package io.livequeue.producer.auth;

import io.livequeue.core.JobTokens;
import io.livequeue.core.OperatorToken;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Refuses to start a production producer that is not safe to expose, with one line that names what to set:
 * {@code livequeue.auth} unset, JWTs asked for without a key, issuer and audience to check them against, or a
 * development or short secret (checked where the job-token signer and the operator token are made). Dev and test
 * runs keep their printed defaults.
 */
@Singleton
public class StartupChecks {

    private static final Logger LOG = Logger.getLogger(StartupChecks.class);

    void check(@Observes StartupEvent event, AuthSettings settings, JobTokens tokens, OperatorToken operatorToken,
            @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> publicKey,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> publicKeyLocation,
            @ConfigProperty(name = "mp.jwt.verify.issuer") Optional<String> issuer,
            @ConfigProperty(name = "mp.jwt.verify.audiences") Optional<String> audiences) {
        Optional<Set<String>> mode = settings.mode();
        if (mode.isEmpty() || mode.get().isEmpty()) {
            refuse(LaunchMode.current() == LaunchMode.NORMAL, "livequeue.auth is not set: set LIVEQUEUE_AUTH to "
                    + "api-keys, jwt or api-keys,jwt (README, Security), or to none on a trusted network only");
            return;
        }
        for (String value : mode.get()) {
            if (!Set.of(AuthSettings.NONE, AuthSettings.API_KEYS, AuthSettings.JWT).contains(value)) {
                refuse(true, "livequeue.auth has an unknown value '" + value + "': set LIVEQUEUE_AUTH to api-keys, "
                        + "jwt, api-keys,jwt or none");
            }
        }
        if (settings.jwt() && (publicKey.isEmpty() && publicKeyLocation.isEmpty() || issuer.isEmpty()
                || audiences.isEmpty())) {
            refuse(true, "livequeue.auth includes jwt: set MP_JWT_VERIFY_PUBLICKEY_LOCATION (a PEM file or the "
                    + "identity provider's JWKS URL), MP_JWT_VERIFY_ISSUER and MP_JWT_VERIFY_AUDIENCES");
        }
        if (settings.anonymousAllowed()) {
            LOG.info("livequeue.auth=none: callers without credentials may submit jobs (a trusted network only)");
        }
    }

    private static void refuse(boolean refuse, String message) {
        if (refuse) {
            throw new IllegalStateException(message);
        }
    }
}
