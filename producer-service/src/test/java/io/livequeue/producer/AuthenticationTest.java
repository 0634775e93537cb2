package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.livequeue.producer.SecuredProducer.apiKey;
import static io.livequeue.producer.SecuredProducer.as;
import static io.livequeue.producer.SecuredProducer.claims;
import static io.livequeue.producer.SecuredProducer.jwt;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code livequeue.auth=api-keys,jwt} only a valid credential with the right scope submits: no credentials, a
 * forged, expired, foreign-audience or foreign-issuer JWT, an unknown or revoked API key and a Basic header are all
 * refused with a problem+json 401, a credential without the scope with a 403. API keys are the operators' to manage.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(SecuredProducer.class)
class AuthenticationTest {

    private static final String JOB = "{\"type\":\"echo\",\"payload\":{\"n\":1}}";

    @Inject
    RedisProbe redis;

    @BeforeEach
    void emptyRedis() {
        redis.flush();
    }

    @Test
    void aSubmitWithoutCredentialsIsRefusedWith401AndAChallenge() {
        Response response = submit(given());

        assertUnauthorized(response, "needs credentials");
        assertThat(redis.jobKeys()).isZero();
    }

    @Test
    void anApiKeyWithTheSubmitScopeSubmits() {
        String key = apiKey("billing", "jobs:submit");

        submit(as(key)).then().statusCode(202).body("status", equalTo("queued"));
    }

    @Test
    void aJwtWithTheSubmitScopeSubmits() {
        submit(as(jwt("alice", "jobs:submit"))).then().statusCode(202);
    }

    @Test
    void aJwtSignedByAnotherKeyIsRefused() {
        assertUnauthorized(submit(as(SecuredProducer.signedBy(claims("alice", "jobs:submit"),
                SecuredProducer.STRANGER.getPrivate()))), "not valid");
    }

    @Test
    void anExpiredJwtIsRefused() {
        long now = System.currentTimeMillis() / 1000;
        String expired = SecuredProducer.signedBy(claims("alice", "jobs:submit").issuedAt(now - 7200)
                .expiresAt(now - 3600), SecuredProducer.IDP.getPrivate());

        assertUnauthorized(submit(as(expired)), "not valid");
    }

    @Test
    void aJwtForAnotherAudienceIsRefused() {
        String foreign = SecuredProducer.signedBy(claims("alice", "jobs:submit").audience("another-service"),
                SecuredProducer.IDP.getPrivate());

        assertUnauthorized(submit(as(foreign)), "not valid");
    }

    @Test
    void aJwtFromAnotherIssuerIsRefused() {
        String foreign = SecuredProducer.signedBy(claims("alice", "jobs:submit").issuer("https://evil.test"),
                SecuredProducer.IDP.getPrivate());

        assertUnauthorized(submit(as(foreign)), "not valid");
    }

    @Test
    void aJwtWithoutASignatureIsRefused() {
        String[] parts = jwt("alice", "jobs:submit").split("\\.");
        String unsigned = "eyJhbGciOiJub25lIn0." + parts[1] + ".";

        assertUnauthorized(submit(as(unsigned)), "not valid");
    }

    @Test
    void anUnknownOrMalformedApiKeyIsRefused() {
        String key = apiKey("billing", "jobs:submit");
        String forged = key.substring(0, key.length() - 2) + (key.endsWith("AA") ? "BB" : "AA");

        assertUnauthorized(submit(as(forged)), "not valid");
        assertUnauthorized(submit(as("lq_nonsense")), "not valid");
        assertUnauthorized(submit(as("just-a-string")), "not valid");
    }

    @Test
    void aRevokedApiKeyIsRefusedAtOnce() {
        String key = apiKey("billing", "jobs:submit");
        submit(as(key)).then().statusCode(202);
        String id = key.substring(3, 19);

        Api.asOperator().when().delete("/api/keys/" + id).then().statusCode(204);

        assertUnauthorized(submit(as(key)), "not valid");
        Api.asOperator().when().get("/api/keys").then().statusCode(200).body("id", not(hasItem(id)));
    }

    @Test
    void basicCredentialsAreRefusedNotIgnored() {
        assertUnauthorized(submit(given().header("Authorization", "Basic YWxpY2U6c2VjcmV0")), "not valid");
    }

    @Test
    void aCredentialWithoutTheSubmitScopeGets403() {
        String readOnly = apiKey("auditor", "jobs:read");

        submit(as(readOnly)).then().statusCode(403).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:livequeue:problem:forbidden"));
        submit(as(jwt("bob", "jobs:read"))).then().statusCode(403);
        assertThat(redis.jobKeys()).isZero();
    }

    @Test
    void onlyOperatorsManageApiKeysAndTheKeyIsShownOnce() {
        String submitter = apiKey("billing", "jobs:submit");

        as(submitter).contentType(ContentType.JSON).body(Map.of("name", "x", "scopes", new String[] {"operator"}))
                .when().post("/api/keys").then().statusCode(403);
        as(submitter).when().get("/api/keys").then().statusCode(403);
        given().when().get("/api/keys").then().statusCode(401);
        Api.asOperator().when().get("/api/keys").then().statusCode(200)
                .body("[0].name", startsWith("billing-")).body("[0].key", equalTo(null));
    }

    @Test
    void anApiKeyWithTheOperatorScopeActsAsAnOperator() {
        String operatorKey = apiKey("ops-alice", "operator");

        as(operatorKey).when().get("/api/dead").then().statusCode(200);
        as(jwt("carol", "operator")).when().get("/api/keys").then().statusCode(200);
    }

    @Test
    void invalidApiKeyRequestsAreRefusedWith400() {
        Api.asOperator().contentType(ContentType.JSON).body("{\"name\":\"x\",\"scopes\":[\"everything\"]}")
                .when().post("/api/keys").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("detail", containsString("unknown scope"));
        Api.asOperator().contentType(ContentType.JSON).body("{\"name\":\"a b\",\"scopes\":[\"jobs:read\"]}")
                .when().post("/api/keys").then().statusCode(400);
        Api.asOperator().when().delete("/api/keys/0123456789abcdef").then().statusCode(404)
                .contentType(PROBLEM_JSON);
    }

    @Test
    void healthAndMetricsNeedNoCredentials() {
        given().header("Authorization", "Bearer garbage").when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
    }

    private static Response submit(RequestSpecification request) {
        return request.contentType(ContentType.JSON).body(JOB).when().post("/api/jobs");
    }

    private static void assertUnauthorized(Response response, String detail) {
        response.then().statusCode(401).contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", startsWith("Bearer realm=\"livequeue\""))
                .body("type", equalTo("urn:livequeue:problem:unauthorized"))
                .body("detail", containsString(detail));
    }
}
