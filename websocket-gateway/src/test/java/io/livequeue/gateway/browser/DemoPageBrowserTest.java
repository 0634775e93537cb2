package io.livequeue.gateway.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livequeue.core.Ids;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.ClaimedJob;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo page in a real headless Chromium, for issue 13: a progress bar that moves with an active job's reports,
 * a job submitted with a delay shown {@code scheduled} (with its due time) and then through its later statuses, and
 * the Cancel button. The job's life is driven with the real scripts through {@link JobStore} (claim, progress.lua,
 * finish) instead of a consumer, and the page's two producer calls (submit, cancel) are answered by
 * {@link StandInProducer} in this same app: the real producer's endpoints for issue 13 are built elsewhere. The
 * end-to-end version against the real producer and consumer belongs in end-to-end-tests once they are merged.
 */
@QuarkusTest
@TestProfile(StandInProducerProfile.class)
@QuarkusTestResource(RedisTestResource.class)
class DemoPageBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static WebDriver browser;

    @TestHTTPResource("/")
    URI root;

    @Inject
    JobStore store;

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
    void anActiveJobsProgressBarMovesWithItsReportsAndGoesWhenItCompletes() throws Exception {
        WebDriverWait wait = openConnectedPage();
        String inbox = wait.until(d -> {
            String text = d.findElement(By.id("inbox")).getText();
            return text.length() >= 22 ? text : null;
        });
        NewJob sent = new NewJob(Ids.newJobId(), "sleep", Priority.NORMAL, 3, "{\"ms\":1000}", inbox);
        store.enqueue("default", List.of(sent), 0).await().atMost(WAIT);
        String id = sent.id();
        wait.until(ExpectedConditions.presenceOfElementLocated(row(id, "queued")));

        ClaimedJob job = claim(id);
        wait.until(ExpectedConditions.presenceOfElementLocated(row(id, "active")));
        assertThat(browser.findElements(By.cssSelector(rowCss(id) + " .progress"))).as("no report yet").isEmpty();

        progress(job, 30, "{\"sent\":3}");
        WebElement bar = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(rowCss(id) + " td.result .progress[aria-valuenow='30']")));
        assertThat(browser.findElement(By.cssSelector(rowCss(id) + " td.result .percent")).getText())
                .isEqualTo("30% {\"sent\":3}");
        int width = bar.findElement(By.cssSelector(".bar")).getSize().getWidth();
        assertThat(width).isPositive();

        progress(job, 70, "{\"sent\":7}");
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(rowCss(id) + " td.result .progress[aria-valuenow='70']")));
        wait.until(d -> d.findElement(By.cssSelector(rowCss(id) + " td.result .progress .bar")).getSize()
                .getWidth() > width * 2); // 70 % is more than twice 30 %, once the bar's short transition is over
        Files.write(Path.of("target/demo-page-progress.png"),
                ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        finish(job);
        WebElement done = wait.until(ExpectedConditions.presenceOfElementLocated(row(id, "completed")));
        assertThat(done.findElements(By.cssSelector(".progress"))).isEmpty();
        assertThat(done.findElement(By.cssSelector("td.result")).getText()).isEqualTo("{\"ok\":true}");
    }

    @Test
    void aJobSubmittedWithADelayShowsScheduledWithItsDueTimeThenItsLaterStatuses() {
        WebDriverWait wait = openConnectedPage();
        submit("echo", "1.5");
        WebElement scheduled = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#jobs tbody tr[data-status='scheduled']")));
        String id = scheduled.getAttribute("data-job-id");
        assertThat(scheduled.findElement(By.cssSelector(".badge")).getText()).isEqualTo("scheduled");
        assertThat(scheduled.findElement(By.cssSelector("td.result time.due")).getText()).startsWith("due ");
        assertThat(scheduled.findElements(By.cssSelector("button.cancel"))).hasSize(1);

        ClaimedJob job = claim(id); // once due: the claim script queues due jobs first
        wait.until(ExpectedConditions.presenceOfElementLocated(row(id, "active")));
        assertThat(browser.findElements(By.cssSelector(rowCss(id) + " time.due"))).isEmpty();
        finish(job);
        WebElement completed = wait.until(ExpectedConditions.presenceOfElementLocated(row(id, "completed")));
        assertThat(completed.findElements(By.cssSelector("button.cancel"))).as("a final job has no Cancel")
                .isEmpty();
    }

    @Test
    void theCancelButtonCancelsAWaitingJobWithItsToken() {
        WebDriverWait wait = openConnectedPage();
        submit("echo", "3600");
        WebElement scheduled = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#jobs tbody tr[data-status='scheduled']")));
        String id = scheduled.getAttribute("data-job-id");

        scheduled.findElement(By.cssSelector("button.cancel")).click();

        WebElement cancelled = wait.until(ExpectedConditions.presenceOfElementLocated(row(id, "cancelled")));
        assertThat(cancelled.findElement(By.cssSelector(".badge")).getText()).isEqualTo("cancelled");
        assertThat(cancelled.findElements(By.cssSelector("button.cancel"))).isEmpty();
        assertThat(store.find(id).await().atMost(WAIT).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(browser.findElement(By.id("log")).getText()).contains("cancelled " + id.substring(0, 8));
    }

    private WebDriverWait openConnectedPage() {
        // the host the app names as its producer (StandInProducerProfile): same origin, as a proxy would serve both
        browser.get("http://127.0.0.1:" + root.getPort() + "/");
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "connected"));
        browser.findElement(By.id("clear")).click();
        return wait;
    }

    private static void submit(String type, String delaySeconds) {
        new Select(browser.findElement(By.id("type"))).selectByValue(type);
        WebElement delay = browser.findElement(By.id("delay"));
        delay.clear();
        delay.sendKeys(delaySeconds);
        browser.findElement(By.id("submit")).click();
        new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("submit")).isEnabled());
        WebElement error = browser.findElement(By.id("form-error"));
        assertThat(error.isDisplayed()).as("form error: " + error.getText()).isFalse();
    }

    private static String rowCss(String id) {
        return "#jobs tbody tr[data-job-id='" + id + "']";
    }

    private static By row(String id, String status) {
        return By.cssSelector(rowCss(id) + "[data-status='" + status + "']");
    }

    /** Claims until it gets this job, once it is due; other jobs met on the way are finished. */
    private ClaimedJob claim(String id) {
        ClaimedJob[] found = {null};
        await().atMost(WAIT).until(() -> {
            ClaimedJob job = store.claim("default", "browser-test", Duration.ofMinutes(1), Duration.ZERO).await()
                    .atMost(WAIT);
            if (job != null && !job.id().equals(id)) {
                finish(job);
                return false;
            }
            found[0] = job;
            return job != null;
        });
        return found[0];
    }

    private void progress(ClaimedJob job, int percent, String data) {
        String report = "{\"percent\":" + percent + ",\"data\":" + data + "}";
        String event = JobEvent.json(job.id(), job.type(), "active", job.attempts(), null, null, report, null, -1);
        assertThat(store.progress(job, report, event).await().atMost(WAIT)).isTrue();
    }

    private void finish(ClaimedJob job) {
        String event = JobEvent.json(job.id(), job.type(), JobStatus.COMPLETED, job.attempts(), "{\"ok\":true}", null);
        assertThat(store.finish(job, JobStatus.COMPLETED, "{\"ok\":true}", null, event, Duration.ofHours(1),
                Duration.ZERO).await().atMost(WAIT)).isTrue();
    }
}
