package io.livequeue.producer.auth;

import java.util.Set;

/**
 * The three things a producer's caller may be allowed to do. They are the roles of Quarkus Security: an API key
 * carries them in its record, a JWT in its {@code scope} claim (space-separated, as OAuth 2.0 writes it).
 */
public final class Scopes {

    public static final String SUBMIT = "jobs:submit";
    public static final String READ = "jobs:read";
    public static final String OPERATOR = "operator";
    public static final Set<String> ALL = Set.of(SUBMIT, READ, OPERATOR);

    private Scopes() {
    }
}
