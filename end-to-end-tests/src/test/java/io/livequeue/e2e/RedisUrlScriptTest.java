package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.livequeue.testing.DocumentedAcl;
import io.livequeue.testing.RedisServer;
import io.livequeue.testing.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What run.sh does with REDIS_URL (scripts/redis-url.sh, in bash, as run.sh runs it): it prints the URL only without
 * its password, and checks a Redis that wants credentials with those the URL holds. A plain unit test (surefire);
 * it starts only redis-servers.
 */
class RedisUrlScriptTest {

    private static final Path ROOT = Path.of(System.getProperty("livequeue.root", "..")).toAbsolutePath().normalize();
    private static final String PASSWORD = "s3cret-Pa55";

    @TempDir
    static Path certificates;

    private static RedisServer plain;
    private static RedisServer tls;

    @BeforeAll
    static void startRedis() {
        List<String> users = List.of(DocumentedAcl.line("livequeue", PASSWORD));
        plain = RedisServer.startSecured(users, null);
        tls = RedisServer.startSecured(users, TestCertificates.create(certificates));
    }

    @AfterAll
    static void stopRedis() {
        plain.close();
        tls.close();
    }

    @Test
    void theUrlIsShownWithoutItsPassword() {
        assertThat(bash("redis_url_masked 'redis://livequeue:" + PASSWORD + "@redis:6379'"))
                .isEqualTo("redis://livequeue:***@redis:6379");
        assertThat(bash("redis_url_masked 'rediss://:" + PASSWORD + "@host:6380/0'"))
                .isEqualTo("rediss://:***@host:6380/0");
        assertThat(bash("redis_url_masked 'redis://" + PASSWORD + "@host'")).isEqualTo("redis://***@host");
        assertThat(bash("redis_url_masked 'redis://localhost:6379'")).isEqualTo("redis://localhost:6379");
    }

    @Test
    void aRedisThatWantsCredentialsIsCheckedWithThoseOfTheUrl() {
        assertThat(ping(plain.url(DocumentedAcl.USER, PASSWORD))).as("right password").isEqualTo("0");
        assertThat(ping(plain.url(DocumentedAcl.USER, "wrong"))).as("wrong password").isEqualTo("1");
        assertThat(ping(plain.url())).as("no credentials").isEqualTo("1");
        // bash speaks no TLS: a rediss:// server is only checked for an open port
        assertThat(ping(tls.url(DocumentedAcl.USER, PASSWORD))).as("TLS").isEqualTo("0");
    }

    @Test
    void runShPrintsRedisUrlOnlyWithoutItsPassword() throws IOException {
        for (String line : Files.readAllLines(ROOT.resolve("run.sh"))) {
            if (line.strip().startsWith("#")) {
                continue;
            }
            String rest = line.replace("redis_url_masked \"$REDIS_URL\"", "")
                    .replace("redis_url_ping \"$REDIS_URL\"", "").replace("[ -n \"${REDIS_URL:-}\" ]", "");
            assertThat(rest).as("run.sh: " + line).doesNotContain("$REDIS_URL", "${REDIS_URL");
        }
    }

    private static String ping(String url) {
        return bash("redis_url_ping '" + url + "'; echo $?");
    }

    /** Runs {@code script} in bash with scripts/redis-url.sh sourced, as run.sh does; its output, trimmed. */
    private static String bash(String script) {
        try {
            Process process = new ProcessBuilder("bash", "-c", "source scripts/redis-url.sh; " + script)
                    .directory(ROOT.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).as(script).isTrue();
            assertThat(process.exitValue()).as(script + ": " + output).isZero();
            return output.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
