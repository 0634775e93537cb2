package io.livequeue.producer.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer credential that is not a JWT: an API key ({@code lq_…}) or the operators' shared token. */
public final class ApiKeyRequest extends BaseAuthenticationRequest {

    private final String token;

    public ApiKeyRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
