package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operators' dashboard in a real headless Chromium against a stack of its own (its consumers are started and
 * replaced during the test): the token form, the counts and charts moving while jobs run, a consumer with its
 * in-flight jobs, dead jobs with their errors, a delete and a retry from the page, a job found by id, and a row per
 * queue with pause and resume.
 */
class DashboardIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int LOAD = 600;

    private static LiveStack stack;
    private static WebDriver browser;

    @BeforeAll
    static void start() {
        stack = LiveStack.start("dashboard", 0);
        browser = Chromium.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void operatorWatchesTheQueuesAndRetriesAndDeletesDeadJobs() throws Exception {
        // the page re-renders a table when its data changes: an element found a moment ago may be gone, look again
        WebDriverWait wait = (WebDriverWait) new WebDriverWait(browser, WAIT)
                .ignoring(StaleElementReferenceException.class);
        browser.manage().window().setSize(new Dimension(1280, 1700));
        browser.get(stack.gateway() + "/dashboard");

        // the token: a wrong one is refused by the gateway, the right one opens the dashboard
        signIn(wait, "not-the-token");
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error"))).getText())
                .contains("refused");
        signIn(wait, LiveStack.OPERATOR_TOKEN);
        wait.until(ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "connected"));

        // no consumer yet: the jobs wait, and the page shows it
        submit("{\"type\":\"sleep\",\"payload\":{\"ms\":50}}", LOAD);
        submit("{\"type\":\"echo\",\"priority\":\"high\",\"payload\":{\"n\":1}}", 100);
        wait.until(d -> count("normal-waiting") == LOAD && count("high-waiting") == 100);

        // a consumer whose sleep jobs time out after 1 s: the load drains, two jobs die
        stack.startConsumer("livequeue.consumer.handler-timeouts.sleep=1s");
        String failing = submitOne("{\"type\":\"fail\",\"maxAttempts\":1}");
        // well over the time-out: an attempt that overruns is stopped within about a second of it, not at once
        String slow = submitOne("{\"type\":\"sleep\",\"payload\":{\"ms\":4000},\"maxAttempts\":1}");
        wait.until(d -> inFlight() > 0);
        wait.until(d -> number(d.findElement(By.id("rate-completed")).getText()) > 0
                && !d.findElement(By.id("pickup-ms")).getText().equals("–"));
        wait.until(d -> count("all-waiting") == 0 && count("all-active") == 0
                && number(d.findElement(By.id("completed-total")).getText()) >= LOAD + 100);
        assertThat(browser.findElement(By.id("consumer-count")).getText()).isEqualTo("1 alive");

        wait.withMessage(() -> "dead list on the page: " + browser.findElement(By.id("dead")).getText()
                + "\nfail job: " + Rest.get(stack.producer() + "/api/jobs/" + failing).body()
                + "\nslow job: " + Rest.get(stack.producer() + "/api/jobs/" + slow).body());
        wait.until(d -> count("all-dead") == 2 && deadRow(d, failing).getText().contains("fail jobs always fail")
                && deadRow(d, failing).getText().contains("1/1")
                && deadRow(d, slow).getText().contains("timed out after 1000 ms"));

        wait.withMessage(() -> "");
        // found by id: its document and history
        click(wait, slow, "a.job-link");
        WebElement doc = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#job-doc[data-job-id='" + slow + "'][data-status='dead']")));
        assertThat(doc.getText()).contains("timed out after 1000 ms", "1 of 1", "4000");
        Files.write(Path.of("target/dashboard.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        // deleted from the page: gone from Redis
        click(wait, failing, "button.delete");
        wait.until(d -> Rest.get(stack.producer() + "/api/jobs/" + failing).status() == 404);
        wait.until(d -> d.findElements(By.cssSelector("#dead tbody tr[data-job-id='" + failing + "']")).isEmpty()
                && count("all-dead") == 1);

        // retried from the page on a consumer with the default time-out: it completes, its error history kept
        stack.consumers().get(0).terminate(WAIT);
        stack.startConsumer();
        click(wait, slow, "button.retry");
        wait.until(d -> "completed".equals(Rest.get(stack.producer() + "/api/jobs/" + slow).body().path("status")
                .asText()));
        wait.until(d -> count("all-dead") == 0 && d.findElements(By.cssSelector("#dead tbody tr")).isEmpty());
        WebElement search = browser.findElement(By.id("search-id"));
        search.clear();
        search.sendKeys(slow);
        browser.findElement(By.id("search")).click();
        doc = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#job-doc[data-job-id='" + slow + "'][data-status='completed']")));
        assertThat(doc.getText()).contains("timed out after 1000 ms", "\"slept\": 4000");

        // one row per queue; pause and resume from the page
        submitOne("{\"type\":\"echo\",\"queue\":\"reports\"}"); // no consumer listens to it: it waits
        wait.until(d -> queueRow(d, "reports").getText().contains("reports") && queueRow(d, "default") != null);
        clickQueueButton(wait, "default", "pause");
        wait.until(d -> "true".equals(queueRow(d, "default").getAttribute("data-paused")));
        assertThat(Rest.get(stack.producer() + "/api/queues/default").body().path("paused").asBoolean()).isTrue();
        String held = submitOne("{\"type\":\"echo\",\"payload\":{\"held\":true}}");
        wait.until(d -> count("all-waiting") >= 1);
        assertThat(Rest.get(stack.producer() + "/api/jobs/" + held).body().path("status").asText()).isEqualTo("queued");
        clickQueueButton(wait, "default", "resume");
        wait.until(d -> "completed".equals(Rest.get(stack.producer() + "/api/jobs/" + held).body().path("status")
                .asText()));
        wait.until(d -> "false".equals(queueRow(d, "default").getAttribute("data-paused")));
    }

    private static WebElement queueRow(WebDriver page, String queue) {
        return page.findElement(By.cssSelector("#named-queues tbody tr[data-queue='" + queue + "']"));
    }

    /** Clicks the queue's pause or resume button, finding the row again if it was re-rendered meanwhile. */
    private static void clickQueueButton(WebDriverWait wait, String queue, String action) {
        wait.until(d -> {
            queueRow(d, queue).findElement(By.cssSelector("button[data-action='" + action + "']")).click();
            return true;
        });
    }

    private static void signIn(WebDriverWait wait, String token) {
        WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        field.clear();
        field.sendKeys(token);
        browser.findElement(By.id("token-submit")).click();
    }

    private static WebElement deadRow(WebDriver page, String id) {
        return page.findElement(By.cssSelector("#dead tbody tr[data-job-id='" + id + "']"));
    }

    /** Clicks {@code selector} in the dead job's row, finding the row again if it was re-rendered meanwhile. */
    private static void click(WebDriverWait wait, String id, String selector) {
        wait.until(d -> {
            deadRow(d, id).findElement(By.cssSelector(selector)).click();
            return true;
        });
    }

    private static long count(String key) {
        return (long) number(browser.findElement(By.cssSelector("[data-count='" + key + "']")).getText());
    }

    /** The largest in-flight count any consumer shows right now. */
    private static long inFlight() {
        return browser.findElements(By.cssSelector("#consumers td.in-flight")).stream()
                .mapToLong(cell -> (long) number(cell.getText())).max().orElse(0);
    }

    private static double number(String text) {
        String digits = text.replace(",", "").trim();
        return digits.isEmpty() || digits.equals("–") ? -1 : Double.parseDouble(digits);
    }

    private static void submit(String job, int times) {
        StringBuilder batch = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < times; i++) {
            batch.append(i == 0 ? "" : ",").append(job);
        }
        Rest.Answer answer = Rest.post(stack.producer() + "/api/jobs/batch", batch.append("]}").toString());
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(202);
    }

    private static String submitOne(String job) {
        Rest.Answer answer = Rest.post(stack.producer() + "/api/jobs", job);
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(202);
        return answer.body().path("id").asText();
    }
}
