package io.livequeue.gateway.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.livequeue.core.Ids;
import io.livequeue.core.Priority;
import io.livequeue.core.config.OperatorConfig;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.Schedules;
import io.livequeue.core.schedule.JobTemplate;
import io.livequeue.core.schedule.ScheduleSpec;
import org.openqa.selenium.WebElement;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.core.rdb.NewJob.When;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operators' dashboard in a real headless Chromium, for issue 13: a queue's scheduled jobs are counted in its row,
 * a cancel shows in the live figures, and a recurring schedule is listed.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class DashboardBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static WebDriver browser;

    @TestHTTPResource("/dashboard/")
    URI dashboard;

    @Inject
    JobStore store;

    @Inject
    Schedules schedules;

    @BeforeAll
    static void startBrowser() {
        browser = Chromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void scheduledJobsAreCountedPerQueueAndACancelShowsInTheFigures() {
        String first = Ids.newJobId();
        String second = Ids.newJobId();
        When later = When.after(Duration.ofHours(1));
        store.enqueue("default", List.of(new NewJob(first, "echo", Priority.NORMAL, 3, null, null).withRunAt(later),
                new NewJob(second, "echo", Priority.LOW, 3, null, null).withRunAt(later)), 0).await().atMost(WAIT);

        browser.get(dashboard.toString());
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(OperatorConfig.DEV_TOKEN);
        browser.findElement(By.id("token-submit")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "connected"));

        By scheduled = By.cssSelector("#named-queues tr[data-queue='default'] td[data-count='scheduled']");
        wait.until(ExpectedConditions.textToBe(scheduled, "2"));
        schedules.create(new ScheduleSpec("every-minute", null, "PT1M", null,
                new JobTemplate("echo", "default", "normal", 3, null, null, null), null, null)).await().atMost(WAIT);
        WebElement schedule = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#schedules tbody tr[data-schedule='every-minute']")));
        assertThat(schedule.getText()).contains("every PT1M").contains("UTC");

        // other tests of this app may have cancelled jobs within the charts' 5 minutes: count from here
        int before = Integer.parseInt(browser.findElement(By.id("cancelled-total")).getText().replace(",", ""));
        store.cancel(first, Duration.ofHours(1)).await().atMost(WAIT);
        wait.until(ExpectedConditions.textToBe(scheduled, "1"));
        wait.until(ExpectedConditions.textToBe(By.id("cancelled-total"), Integer.toString(before + 1)));
    }
}
