package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livequeue.testing.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A production start that is not safe to expose is refused, with one line that names the variable to set: a printed
 * development secret, a short one, no {@code livequeue.auth}, or JWTs without a key to check them. The packaged jars
 * run in the prod profile, as {@code ./run.sh} and the images run them.
 */
class ProductionStartIT {

    private static final Path ROOT = Path.of(System.getProperty("livequeue.root", "..")).toAbsolutePath().normalize();
    private static final Path LOGS = ROOT.resolve("end-to-end-tests/target/production-start");
    private static final String SECRET = "a-production-token-secret-of-32-bytes-at-least";
    private static final String OPERATOR = "a-production-operator-token-of-32-bytes-at-least";

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = RedisServer.start();
        Files.createDirectories(LOGS);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void aProducerWithTheDevelopmentTokenSecretIsRefused() throws Exception {
        String log = refused("producer-service", "dev-secret", "livequeue.auth=none",
                "livequeue.operator.token=" + OPERATOR);

        assertThat(log).contains("livequeue.token.secret is the development default")
                .contains("set LIVEQUEUE_TOKEN_SECRET");
    }

    @Test
    void aProducerWithAShortOperatorTokenIsRefused() throws Exception {
        String log = refused("producer-service", "short-operator", "livequeue.auth=none",
                "livequeue.token.secret=" + SECRET, "livequeue.operator.token=short");

        assertThat(log).contains("livequeue.operator.token is shorter than 32 bytes")
                .contains("set LIVEQUEUE_OPERATOR_TOKEN");
    }

    @Test
    void aProducerWithoutAnAuthenticationSettingIsRefused() throws Exception {
        String log = refused("producer-service", "no-auth", "livequeue.token.secret=" + SECRET,
                "livequeue.operator.token=" + OPERATOR);

        assertThat(log).contains("livequeue.auth is not set: set LIVEQUEUE_AUTH");
    }

    @Test
    void aProducerAskedForJwtsWithoutAKeyIsRefused() throws Exception {
        String log = refused("producer-service", "jwt-no-key", "livequeue.auth=jwt",
                "livequeue.token.secret=" + SECRET, "livequeue.operator.token=" + OPERATOR);

        assertThat(log).contains("set MP_JWT_VERIFY_PUBLICKEY_LOCATION");
    }

    @Test
    void aGatewayWithTheDevelopmentSecretsIsRefused() throws Exception {
        String log = refused("websocket-gateway", "gateway-dev-secret", "livequeue.operator.token=" + OPERATOR);
        String operatorLog = refused("websocket-gateway", "gateway-dev-operator", "livequeue.token.secret=" + SECRET);

        assertThat(log).contains("livequeue.token.secret is the development default").contains("set LIVEQUEUE_TOKEN_SECRET");
        assertThat(operatorLog).contains("set LIVEQUEUE_OPERATOR_TOKEN");
    }

    @Test
    void withStrongSecretsAndApiKeysTheProducerStarts() {
        try (ServiceProcess producer = ServiceProcess.start(ROOT, "producer-service", "producer-safe", LOGS,
                List.of("quarkus.redis.hosts=" + redis.url(), "livequeue.auth=api-keys",
                        "livequeue.token.secret=" + SECRET, "livequeue.operator.token=" + OPERATOR))) {
            assertThat(producer.url()).startsWith("http://");
        }
    }

    /** Starts the module's jar with these properties, expects it to exit within 60 s, and returns its output. */
    private static String refused(String module, String name, String... properties) throws Exception {
        Path log = LOGS.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=0", "-Dquarkus.redis.hosts=" + redis.url()));
        for (String p : properties) {
            command.add("-D" + p);
        }
        command.addAll(List.of("-jar", ROOT.resolve(module).resolve("target/quarkus-app/quarkus-run.jar").toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> !process.isAlive());
            assertThat(process.exitValue()).as("exit code of " + name).isNotZero();
            return Files.readString(log);
        } finally {
            process.destroyForcibly();
        }
    }
}
