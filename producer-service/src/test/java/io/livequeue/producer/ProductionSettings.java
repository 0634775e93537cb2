package io.livequeue.producer;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * What a production start needs (the packaged jar runs in the prod profile): secrets that are not the printed
 * defaults, and an explicit {@code livequeue.auth}.
 */
public class ProductionSettings implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("livequeue.auth", "none",
                "livequeue.token.secret", "packaged-test-token-secret-of-32-bytes-or-more",
                "livequeue.operator.token", "packaged-test-operator-token-of-32-bytes-or-more");
    }
}
