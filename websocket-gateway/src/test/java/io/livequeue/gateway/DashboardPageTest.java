package io.livequeue.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The dashboard page and its scripts are served by the gateway, self-contained: nothing is loaded from elsewhere. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class DashboardPageTest {

    @Test
    void dashboardIsServedAtSlashDashboard() {
        given().redirects().follow(true).when().get("/dashboard").then().statusCode(200)
                .contentType(containsString("text/html")).body(containsString("livequeue operators"));
        given().when().get("/dashboard/").then().statusCode(200).body(containsString("dashboard.js"));
    }

    @Test
    void scriptsAndStylesAreLocalAndNeedNoBuild() {
        for (String file : new String[] {"dashboard.js", "views.js", "charts.js", "dashboard.css"}) {
            given().when().get("/dashboard/" + file).then().statusCode(200)
                    .body(not(containsString("http://")), not(containsString("https://")));
        }
        given().when().get("/dashboard/").then().body(not(containsString("http://")), not(containsString("https://")));
        given().when().get("/dashboard/charts.js").then().body(containsString("getContext('2d')"));
    }
}
