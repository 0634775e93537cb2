package io.livequeue.producer.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.livequeue.core.OperatorToken;
import io.livequeue.core.rdb.ApiKeys;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns a bearer that is not a JWT into a caller: the operators' shared token (every scope, principal
 * {@code operator}), or an API key looked up in Redis (its scopes, principal {@code key:<name>}). A verified key is
 * remembered for {@code livequeue.api-keys.cache} (5 s), so a busy client costs no Redis round trip per request; a
 * key revoked on this producer is forgotten at once, on others within that time.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyRequest> {

    /** The principal of a caller that presents the operators' shared token. */
    public static final String OPERATOR = "operator";

    private final ApiKeys keys;
    private final OperatorToken operatorToken;
    private final AuthSettings settings;
    private final Cache<String, SecurityIdentity> verified;

    ApiKeyIdentityProvider(ApiKeys keys, OperatorToken operatorToken, AuthSettings settings) {
        this.keys = keys;
        this.operatorToken = operatorToken;
        this.settings = settings;
        this.verified = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(settings.apiKeyCache()).build();
    }

    @Override
    public Class<ApiKeyRequest> getRequestType() {
        return ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
        String token = request.token();
        if (operatorToken.matches(token)) {
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(OPERATOR)).addRoles(Scopes.ALL).build());
        }
        if (!ApiKeys.looksLikeKey(token) || !settings.apiKeys() && !settings.anonymousAllowed()) {
            return Uni.createFrom().failure(new AuthenticationFailedException(ApiKeys.looksLikeKey(token)
                    ? "API keys are not accepted here (livequeue.auth)" : "the bearer token is not valid"));
        }
        SecurityIdentity known = verified.getIfPresent(token);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return keys.verify(token).map(found -> {
            ApiKeys.ApiKey key = found.orElseThrow(() -> new AuthenticationFailedException(
                    "the API key is not valid (unknown or revoked)"));
            SecurityIdentity identity = QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(Callers.API_KEY_PREFIX + key.name())).addRoles(key.scopes())
                    .addAttribute(Callers.KEY_ID, key.id()).build();
            verified.put(token, identity);
            return identity;
        });
    }

    /** Forgets every remembered key with this id (it was just revoked here). */
    public void forget(String keyId) {
        verified.asMap().values().removeIf(identity -> keyId.equals(identity.getAttribute(Callers.KEY_ID)));
    }
}
