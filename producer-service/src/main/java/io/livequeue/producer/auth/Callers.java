package io.livequeue.producer.auth;

import io.livequeue.core.Job;
import io.quarkus.security.identity.SecurityIdentity;
import java.security.Principal;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who a caller is, as the jobs it submits record it ({@code owner}) and the operator log names it: {@code key:<name>}
 * for an API key (keys with the same name are one caller, which is how a key is rotated without losing its jobs),
 * {@code jwt:<sub>} for a JWT, {@code operator} for the shared operator token, {@code anonymous} without credentials.
 */
public final class Callers {

    public static final String API_KEY_PREFIX = "key:";
    public static final String JWT_PREFIX = "jwt:";
    /** The attribute of an API key's identity that holds the key's id. */
    public static final String KEY_ID = "livequeue.key-id";

    private Callers() {
    }

    /** The owner recorded on the jobs this caller submits. */
    public static String owner(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return Job.ANONYMOUS;
        }
        Principal principal = identity.getPrincipal();
        if (principal instanceof JsonWebToken jwt) {
            return JWT_PREFIX + jwt.getSubject();
        }
        return principal.getName();
    }

    /** True when the caller holds the operator scope. */
    public static boolean isOperator(SecurityIdentity identity) {
        return identity != null && identity.hasRole(Scopes.OPERATOR);
    }
}
