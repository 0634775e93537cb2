package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The demo page in a real headless Chromium, against the real stack: submit a job, watch its result arrive. */
@ExtendWith(LiveStack.class)
class DemoPageIT {

    private static WebDriver browser;
    private final LiveStack stack = LiveStack.get();

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
    void submittedJobShowsItsResultLive() throws Exception {
        WebDriverWait wait = openConnectedPage();

        new Select(browser.findElement(By.id("type"))).selectByValue("echo");
        WebElement payload = browser.findElement(By.id("payload"));
        payload.clear();
        payload.sendKeys("{\"from\":\"the browser\"}");
        browser.findElement(By.id("submit")).click();

        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#jobs tbody tr[data-status='completed']")));
        assertThat(row.findElement(By.cssSelector("td.result")).getText()).contains("the browser");
        assertThat(row.findElement(By.cssSelector("td.attempts")).getText()).isEqualTo("1");
        String id = row.getAttribute("data-job-id");
        assertThat(Rest.get(stack.producer() + "/api/jobs/" + id).body().path("status").asText())
                .isEqualTo("completed");

        Files.write(Path.of("target/demo-page.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /**
     * Jobs in time on the real stack: a sleep job's progress bar moves with the consumer's reports, a delayed job is
     * scheduled and then runs, and the Cancel button stops a running sleep on its consumer.
     */
    @Test
    void aSleepJobsProgressBarMovesAndItsCancelButtonStopsIt() {
        WebDriverWait wait = openConnectedPage();

        new Select(browser.findElement(By.id("type"))).selectByValue("sleep");
        WebElement payload = browser.findElement(By.id("payload"));
        payload.clear();
        payload.sendKeys("{\"ms\":20000}");
        WebElement delay = browser.findElement(By.id("delay"));
        delay.clear();
        delay.sendKeys("1");
        browser.findElement(By.id("submit")).click();

        WebElement scheduled = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#jobs tbody tr[data-status='scheduled']")));
        String id = scheduled.getAttribute("data-job-id");
        String row = "#jobs tbody tr[data-job-id='" + id + "']";
        wait.ignoring(StaleElementReferenceException.class); // the row is drawn anew with every event
        int first = wait.until(d -> Integer.parseInt(d.findElement(By.cssSelector(
                row + "[data-status='active'] .progress")).getAttribute("aria-valuenow")));
        wait.until(d -> Integer.parseInt(d.findElement(By.cssSelector(row + " .progress"))
                .getAttribute("aria-valuenow")) > first);

        wait.until(d -> {
            d.findElement(By.cssSelector(row + " button.cancel")).click();
            return true;
        });
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(row + "[data-status='cancelled']")));
        assertThat(Rest.get(stack.producer() + "/api/jobs/" + id).body().path("status").asText())
                .isEqualTo("cancelled");
    }

    @Test
    void invalidPayloadIsExplainedAndNothingIsSent() {
        WebDriverWait wait = openConnectedPage();
        int rowsBefore = browser.findElements(By.cssSelector("#jobs tbody tr")).size();

        new Select(browser.findElement(By.id("type"))).selectByValue("sms");
        WebElement payload = browser.findElement(By.id("payload"));
        payload.clear();
        payload.sendKeys("{not json");
        browser.findElement(By.id("submit")).click();

        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("form-error")));
        assertThat(error.getText()).contains("not valid JSON");
        assertThat(browser.findElements(By.cssSelector("#jobs tbody tr"))).hasSize(rowsBefore);
    }

    @Test
    void failingJobEndsDeadOnThePage() {
        WebDriverWait wait = openConnectedPage();

        new Select(browser.findElement(By.id("type"))).selectByValue("fail");
        WebElement attempts = browser.findElement(By.id("max-attempts"));
        attempts.clear();
        attempts.sendKeys("2");
        browser.findElement(By.id("submit")).click();

        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#jobs tbody tr[data-status='dead']")));
        assertThat(row.findElement(By.cssSelector("td.attempts")).getText()).isEqualTo("2");
        assertThat(row.findElement(By.cssSelector("td.result")).getText()).contains("fail jobs always fail");
    }

    @Test
    void jobPostedWithCurlToThePagesInboxShowsUpLive() {
        WebDriverWait wait = openConnectedPage();
        String inbox = wait.until(d -> {
            String text = d.findElement(By.id("inbox")).getText();
            return text.length() >= 22 ? text : null;
        });

        String id = Rest.post(stack.producer() + "/api/jobs", "{\"type\":\"echo\",\"payload\":{\"from\":\"curl\"},"
                + "\"replyTo\":\"" + inbox + "\"}").body().path("id").asText();

        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#jobs tbody tr[data-job-id='" + id + "'][data-status='completed']")));
        assertThat(row.findElement(By.cssSelector("td.result")).getText()).contains("curl");
    }

    @Test
    void jobFollowedByIdAndTokenShowsItsResult() {
        WebDriverWait wait = openConnectedPage();
        var submitted = Rest.post(stack.producer() + "/api/jobs", "{\"type\":\"sleep\",\"payload\":{\"ms\":200}}").body();
        String id = submitted.path("id").asText();

        browser.findElement(By.id("follow-id")).sendKeys(id);
        browser.findElement(By.id("follow-token")).sendKeys(submitted.path("token").asText());
        browser.findElement(By.id("follow")).click();

        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#jobs tbody tr[data-job-id='" + id + "'][data-status='completed']")));
        assertThat(row.findElement(By.cssSelector("td.result")).getText()).contains("\"slept\":200");
    }

    private WebDriverWait openConnectedPage() {
        browser.get(stack.gateway() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "connected"));
        return wait;
    }
}