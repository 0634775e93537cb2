package io.livequeue.producer;

import static io.restassured.RestAssured.given;

import io.livequeue.core.config.OperatorConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Request helpers shared by the producer tests. */
final class Api {

    static final String PROBLEM_JSON = "application/problem+json";
    /** The tests run with the development default of livequeue.operator.token. */
    static final String OPERATOR_TOKEN = OperatorConfig.DEV_TOKEN;

    private Api() {
    }

    /** A request as an operator sends it: with the operator token. */
    static RequestSpecification asOperator() {
        return given().header("Authorization", "Bearer " + OPERATOR_TOKEN);
    }

    static Response submit(String json) {
        return given().contentType(ContentType.JSON).body(json).when().post("/api/jobs");
    }

    static Response submitBatch(String json) {
        return given().contentType(ContentType.JSON).body(json).when().post("/api/jobs/batch");
    }

    /** {@code {"jobs":[job, job, …]}} with {@code count} copies of {@code job}. */
    static String batchOf(int count, String job) {
        StringBuilder body = new StringBuilder(16 + count * (job.length() + 1)).append("{\"jobs\":[");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : ",").append(job);
        }
        return body.append("]}").toString();
    }
}
