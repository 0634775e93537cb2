package io.livequeue.producer.auth;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * With {@code livequeue.auth=none}, gives the caller who presents no credentials the scopes to submit jobs and to read
 * the anonymous jobs: the trusted-network setting that {@code ./run.sh} uses on loopback. Without it such a caller
 * has no scope at all, and every endpoint but the public ones answers 401.
 */
@ApplicationScoped
public class AnonymousCaller implements SecurityIdentityAugmentor {

    private final AuthSettings settings;

    AnonymousCaller(AuthSettings settings) {
        this.settings = settings;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!identity.isAnonymous() || !settings.anonymousAllowed()) {
            return Uni.createFrom().item(identity);
        }
        SecurityIdentity trusted = this.trusted;
        if (trusted == null) { // one identity for every anonymous request: it never changes
            // built afresh, not from this request's identity, so it holds nothing of one request
            trusted = QuarkusSecurityIdentity.builder().setAnonymous(true).addRole(Scopes.SUBMIT)
                    .addRole(Scopes.READ).build();
            this.trusted = trusted;
        }
        return Uni.createFrom().item(trusted);
    }

    private volatile SecurityIdentity trusted;
}
