package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * livequeue.js in a real Chromium against the real stack, loaded as a React app on a dev server loads it: by a page on
 * another origin ({@code http://localhost:<port>}, the services on 127.0.0.1) that imports it from the gateway. That
 * takes the gateway's CORS header on the module, the producer's default CORS (preflight with Idempotency-Key) and the
 * gateway's default origin check; the tests then drive submit(), watch() and reconnects through the module's API.
 */
class ClientModuleIT {

    /** The dev server's page: imports the module from the gateway named in the query and connects. */
    private static final String PAGE = """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>dev server</title></head><body>
            <script type="module">
              const q = new URLSearchParams(location.search);
              window.answers = []; // every HTTP answer the module got: [status, Idempotency-Key]
              window.seen = [];    // every job event delivered to 'job' listeners: [id, status]
              try {
                window.livequeue = await import(q.get('gateway') + '/livequeue.js');
                window.lq = livequeue.connect({
                  gateway: q.get('gateway'), producer: q.get('producer'),
                  backoff: q.has('fast') ? { base: 100, cap: 1000 } : undefined,
                  fetch: async (url, init) => {
                    const res = await fetch(url, init);
                    answers.push([res.status, init.headers['Idempotency-Key']]);
                    return res;
                  },
                });
                lq.on('job', (ev) => { if (!ev.progress) seen.push([ev.id, ev.status]); }); // status changes
                lq.on('state', ({ state }) => { document.body.dataset.state = state; });
              } catch (e) {
                document.body.dataset.state = 'failed: ' + e;
              }
            </script></body></html>
            """;

    private static LiveStack stack;
    private static HttpServer devServer;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws IOException {
        stack = LiveStack.start("client-module", 1);
        devServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        devServer.createContext("/", exchange -> {
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        devServer.start();
        browser = Chromium.start();
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (devServer != null) {
            devServer.stop(0);
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void pageOnAnotherOriginSubmitsAndGetsEachStatusOnceThroughItsInbox() {
        WebDriverWait wait = openPage("");

        @SuppressWarnings("unchecked")
        Map<String, Object> run = (Map<String, Object>) js().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const statuses = [];
                lq.submit({ type: 'echo', payload: { from: 'dev server' } }).then((job) => {
                  lq.watch(job, (ev) => {
                    statuses.push(ev.status);
                    if (ev.status === 'completed') done({ id: job.id, statuses, result: ev.result, inbox: lq.inbox });
                  });
                }, (e) => done({ error: String(e) }));
                """);

        assertThat(run).doesNotContainKey("error");
        assertThat(run.get("result")).isEqualTo(Map.of("from", "dev server"));
        String id = (String) run.get("id");
        // the answer of submit() said "queued": the listener hears only what came after it
        assertThat(strings(run.get("statuses"))).isIn(List.of("active", "completed"), List.of("completed"));
        // the job was sent to the page's inbox (replyTo): 'job' listeners had every status, each once
        wait.until(d -> statusesSeen(id).contains("completed"));
        assertThat(statusesSeen(id)).containsExactly("queued", "active", "completed");
        assertThat(Rest.get(stack.producer() + "/api/jobs/" + id).body().path("status").asText())
                .isEqualTo("completed");
    }

    @Test
    void producerErrorsCarryTheProblemAndAnIdempotencyKeyGivesOneJob() {
        openPage("");

        @SuppressWarnings("unchecked")
        Map<String, Object> run = (Map<String, Object>) js().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                (async () => {
                  const r = {};
                  try {
                    await lq.submit({ type: 'teleport', maxAttempts: 99 });
                    r.thrown = false;
                  } catch (e) {
                    Object.assign(r, { thrown: true, problem: e instanceof livequeue.ProblemError, status: e.status,
                      title: e.title, message: e.message, fields: (e.errors || []).map((f) => f.field) });
                  }
                  const a = await lq.submit({ type: 'echo' }, { idempotencyKey: 'client-module-it-1' });
                  const b = await lq.submit({ type: 'echo' }, { idempotencyKey: 'client-module-it-1' });
                  return { ...r, first: a.id, second: b.id };
                })().then(done, (e) => done({ error: String(e) }));
                """);

        assertThat(run).containsEntry("thrown", true).containsEntry("problem", true).containsEntry("status", 400L)
                .containsEntry("title", "Invalid job request").containsEntry("message", "2 fields are invalid");
        assertThat(strings(run.get("fields"))).containsExactlyInAnyOrder("type", "maxAttempts");
        assertThat(run.get("second")).isEqualTo(run.get("first"));
    }

    @Test
    void submitRidesOutARedisOutageWithOneIdempotencyKey() {
        WebDriverWait wait = openPage("");
        js().executeScript("window.answers.length = 0;");
        stack.redis().stop();
        try {
            js().executeScript("""
                    window.outcome = null;
                    lq.submit({ type: 'echo', payload: { through: 'the outage' } }, { retries: 30 })
                      .then((job) => { window.outcome = { id: job.id }; }, (e) => { window.outcome = { error: String(e) }; });
                    """);
            // the producer answers 503 (with Retry-After) while Redis is down: the module waits and tries again
            wait.until(d -> answers().stream().anyMatch(a -> a.get(0).equals(503L)));
        } finally {
            stack.redis().restart();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> outcome = new WebDriverWait(browser, Duration.ofSeconds(60))
                .until(d -> (Map<String, Object>) js().executeScript("return window.outcome;"));
        assertThat(outcome).containsKey("id");
        List<List<Object>> answers = answers();
        assertThat(answers.get(answers.size() - 1).get(0)).isEqualTo(202L);
        assertThat(answers).extracting(a -> a.get(0)).containsOnly(503L, 202L);
        assertThat(answers).extracting(a -> a.get(1)).as("one Idempotency-Key for every try").hasSize(answers.size())
                .containsOnly(answers.get(0).get(1));
        // one job, and it runs (its events may pass while the gateway's own Redis subscription is still coming back)
        String id = (String) outcome.get("id");
        wait.until(d -> Rest.get(stack.producer() + "/api/jobs/" + id).body().path("status").asText()
                .equals("completed"));
    }

    @Test
    void jobFollowedByTokenAcrossAGatewayRestartGetsEachStatusOnce() {
        WebDriverWait wait = openPage("&fast");
        // submitted elsewhere (no replyTo): the page follows it by id and token only
        var submitted = Rest.post(stack.producer() + "/api/jobs", "{\"type\":\"sleep\",\"payload\":{\"ms\":12000}}")
                .body();
        String id = submitted.path("id").asText();
        js().executeScript("""
                window.heard = [];
                window.reports = [];
                // a sleep job reports progress: job events of status active with a progress field, apart here
                lq.watch({ id: arguments[0], token: arguments[1] },
                  (ev) => ev.progress ? reports.push(ev.progress.percent) : heard.push(ev.status));
                """, id, submitted.path("token").asText());
        wait.until(d -> heard().contains("active"));

        ServiceProcess gateway = stack.gatewayProcess();
        gateway.terminate(Duration.ofSeconds(15));
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-state", "reconnecting"));
        gateway.startAgain();
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-state", "connected"));
        // back on a new socket with a new inbox while the job still runs: the catch-up repeats 'active'
        assertThat(Rest.get(stack.producer() + "/api/jobs/" + id).body().path("status").asText())
                .as("the job still runs after the reconnect (else this test proves less)").isEqualTo("active");

        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> heard().contains("completed"));
        assertThat(heard()).isIn(List.of("queued", "active", "completed"), List.of("active", "completed"));
        assertThat(statusesSeen(id)).isEqualTo(heard());
        List<Long> reports = ((List<?>) js().executeScript("return window.reports;")).stream()
                .map(n -> ((Number) n).longValue()).toList();
        assertThat(reports).as("progress reports, before and after the restart, in order").isNotEmpty().isSorted();
    }

    private WebDriverWait openPage(String extraQuery) {
        String page = "http://localhost:" + devServer.getAddress().getPort() + "/?gateway=" + stack.gateway()
                + "&producer=" + stack.producer() + extraQuery;
        browser.get(page);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-state", "connected"));
        return wait;
    }

    private JavascriptExecutor js() {
        return (JavascriptExecutor) browser;
    }

    private List<String> statusesSeen(String id) {
        return strings(js().executeScript("return seen.filter(([i]) => i === arguments[0]).map(([, s]) => s);", id));
    }

    private List<String> heard() {
        return strings(js().executeScript("return window.heard;"));
    }

    @SuppressWarnings("unchecked")
    private List<List<Object>> answers() {
        return (List<List<Object>>) js().executeScript("return window.answers;");
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        return (List<String>) value;
    }
}
