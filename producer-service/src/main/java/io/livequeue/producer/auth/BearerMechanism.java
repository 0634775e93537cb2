package io.livequeue.producer.auth;

import io.livequeue.core.rdb.ApiKeys;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Reads {@code Authorization} before the JWT mechanism does (a higher priority): an API key ({@code lq_…}) or the
 * operators' token is checked here ({@link ApiKeyIdentityProvider}); any other bearer is left to the JWT mechanism
 * when {@code livequeue.auth} includes {@code jwt}, and refused otherwise. A scheme other than Bearer is refused, so
 * a client that sends Basic credentials learns that they are not valid instead of being served anonymously.
 */
@ApplicationScoped
public class BearerMechanism implements HttpAuthenticationMechanism {

    /** The challenge of a 401, as RFC 6750 asks. */
    public static final String CHALLENGE = "Bearer realm=\"livequeue\"";

    private final AuthSettings settings;

    BearerMechanism(AuthSettings settings) {
        this.settings = settings;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null) {
            return Uni.createFrom().nullItem();
        }
        if (authorization.length() < 7 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Uni.createFrom().failure(new AuthenticationFailedException("only Bearer credentials are accepted"));
        }
        String token = authorization.substring(7).trim();
        if (!ApiKeys.looksLikeKey(token) && settings.jwt() && looksLikeJwt(token)) {
            return Uni.createFrom().nullItem(); // the JWT mechanism's
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new ApiKeyRequest(token),
                context));
    }

    private static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        return first > 0 && token.indexOf('.', first + 1) > first + 1;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", CHALLENGE));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyRequest.class);
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }
}
