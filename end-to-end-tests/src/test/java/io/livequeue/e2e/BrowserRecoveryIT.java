package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The demo page rides out a gateway restart by itself: it reconnects, re-subscribes and still shows every result. */
class BrowserRecoveryIT {

    private static final By CONNECTION = By.id("connection");

    @Test
    void pageReconnectsAfterAGatewayRestartAndShowsTheResultOfTheJobThatRanMeanwhile() {
        try (LiveStack stack = LiveStack.start("browser-recovery", 1)) {
            WebDriver browser = Chromium.start();
            try {
                browser.get(stack.gateway() + "/");
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                wait.until(ExpectedConditions.attributeToBe(CONNECTION, "data-state", "connected"));

                submit(browser, "sleep", "{\"ms\":3000}");
                String sleeper = wait.until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("#jobs tbody tr[data-status='active']"))).getAttribute("data-job-id");

                ServiceProcess gateway = stack.gatewayProcess();
                gateway.terminate(Duration.ofSeconds(15));
                assertThat(gateway.isAlive()).as("gateway stopped").isFalse();
                wait.until(ExpectedConditions.attributeToBe(CONNECTION, "data-state", "reconnecting"));
                assertThat(browser.findElement(By.id("log")).getText()).contains("disconnected (code ");
                gateway.startAgain();
                // back-off with full jitter is capped at 10 s: the page is back within one capped delay or so
                new WebDriverWait(browser, Duration.ofSeconds(30))
                        .until(ExpectedConditions.attributeToBe(CONNECTION, "data-state", "connected"));

                By sleeperRow = By.cssSelector("#jobs tbody tr[data-job-id='" + sleeper + "']");
                wait.until(ExpectedConditions.attributeToBe(sleeperRow, "data-status", "completed"));
                WebElement row = browser.findElement(sleeperRow);
                assertThat(row.findElement(By.cssSelector("td.result")).getText()).isEqualTo("{\"slept\":3000}");
                assertThat(row.findElement(By.cssSelector("td.attempts")).getText()).isEqualTo("1");

                submit(browser, "echo", "{\"after\":\"restart\"}");
                WebElement echo = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
                        "#jobs tbody tr[data-status='completed']:not([data-job-id='" + sleeper + "'])")));
                assertThat(echo.findElement(By.cssSelector("td.type")).getText()).isEqualTo("echo");
                assertThat(echo.findElement(By.cssSelector("td.result")).getText())
                        .isEqualTo("{\"after\":\"restart\"}");
                assertThat(browser.findElements(By.cssSelector("#jobs tbody tr"))).hasSize(2);
                assertThat(browser.findElement(CONNECTION).getAttribute("data-state")).isEqualTo("connected");
            } finally {
                browser.quit();
            }
        }
    }

    private static void submit(WebDriver browser, String type, String payload) {
        new Select(browser.findElement(By.id("type"))).selectByValue(type);
        WebElement field = browser.findElement(By.id("payload"));
        field.clear();
        field.sendKeys(payload);
        browser.findElement(By.id("submit")).click();
    }
}
