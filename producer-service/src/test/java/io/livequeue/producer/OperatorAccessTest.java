package io.livequeue.producer;

import static io.livequeue.producer.Api.OPERATOR_TOKEN;
import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.livequeue.producer.Api.asOperator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.livequeue.core.Ids;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dead-letter actions are for operators: without the operator token every one of them is refused with 401. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class OperatorAccessTest {

    private static final String DEMO_ORIGIN = "http://localhost:8080";

    @Inject
    RedisProbe redis;

    @BeforeEach
    void emptyRedis() {
        redis.flush();
    }

    @Test
    void everyDeadLetterEndpointRefusesARequestWithoutTheToken() {
        String id = Ids.newJobId();
        List<Function<RequestSpecification, Response>> calls = List.of(
                r -> r.get("/api/dead"),
                r -> r.post("/api/dead/" + id + "/retry"),
                r -> r.post("/api/dead/retry"),
                r -> r.delete("/api/dead/" + id),
                r -> r.delete("/api/dead"),
                r -> r.delete("/api/dead/not-an-id"));
        for (var call : calls) {
            assertUnauthorized(call.apply(given().when()), "send Authorization: Bearer");
            assertUnauthorized(call.apply(given().header("Authorization", "Bearer wrong-token").when()),
                    "not valid");
            assertUnauthorized(call.apply(given().header("Authorization", "Basic " + OPERATOR_TOKEN).when()),
                    "not valid");
            assertUnauthorized(call.apply(given().header("Authorization", "Bearer " + OPERATOR_TOKEN + "x").when()),
                    "not valid");
        }
    }

    @Test
    void theTokenOpensThemInAnyCaseOfTheSchemeName() {
        asOperator().when().get("/api/dead").then().statusCode(200).body("total", equalTo(0));
        given().header("Authorization", "bearer " + OPERATOR_TOKEN).when().delete("/api/dead").then()
                .statusCode(200).body("deleted", equalTo(0));
    }

    @Test
    void submittingAndReadingJobsNeedNoToken() {
        given().when().get("/api/queues").then().statusCode(200);
        Api.submit("{\"type\":\"echo\"}").then().statusCode(202);
    }

    @Test
    void theDashboardOriginMayDeleteWithTheTokenFromABrowser() {
        Response preflight = given().header("Origin", DEMO_ORIGIN)
                .header("Access-Control-Request-Method", "DELETE")
                .header("Access-Control-Request-Headers", "authorization")
                .when().options("/api/dead/" + Ids.newJobId());

        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(DEMO_ORIGIN);
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("DELETE");
        assertThat(preflight.header("Access-Control-Allow-Headers")).containsIgnoringCase("authorization");
    }

    @Test
    void openApiDocumentsTheBearerSchemeAndThe401() {
        String document = given().when().get("/q/openapi?format=json").then().statusCode(200).extract().asString();

        assertThat(given().when().get("/q/openapi?format=json").then().extract().<String>path(
                "components.securitySchemes.operator.scheme")).isEqualTo("bearer");
        assertThat(given().when().get("/q/openapi?format=json").then().extract().<String>path(
                "paths.'/api/dead'.get.responses.'401'.content.'application/problem+json'.schema.$ref"))
                .isEqualTo("#/components/schemas/Problem");
        assertThat(document).contains("\"operator\"");
    }

    private static void assertUnauthorized(Response response, String detail) {
        response.then().statusCode(401).contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", startsWith("Bearer realm=\"livequeue\""))
                .body("type", equalTo("urn:livequeue:problem:unauthorized"))
                .body("status", equalTo(401));
        assertThat(response.jsonPath().getString("detail")).contains(detail);
    }
}
