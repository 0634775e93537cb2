package io.livequeue.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livequeue.testing.DocumentedAcl;
import io.livequeue.testing.RedisServer;
import io.livequeue.testing.TestCertificates;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RedisTls} against real redis-servers that listen with TLS only and let in only the documented ACL user: a
 * client made the way Quarkus makes one from a {@code rediss://} URL, then customized, gets in with the CA and is
 * refused without it or when the certificate names another host.
 */
class RedisTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PASSWORD = "tls-test-password";

    @TempDir
    static Path certificates;

    private static Vertx vertx;
    private static TestCertificates local;
    private static RedisServer server;
    private static TestCertificates elsewhere;
    private static RedisServer misnamed;

    @BeforeAll
    static void startServers() {
        vertx = Vertx.vertx();
        List<String> users = List.of(DocumentedAcl.line("livequeue", PASSWORD));
        local = TestCertificates.create(certificates.resolve("local"));
        server = RedisServer.startSecured(users, local);
        elsewhere = TestCertificates.create(certificates.resolve("elsewhere"), "redis.example.invalid");
        misnamed = RedisServer.startSecured(users, elsewhere);
    }

    @AfterAll
    static void stopServers() {
        server.close();
        misnamed.close();
        vertx.closeAndAwait();
    }

    @Test
    void withTheCaTheUserIsIn() {
        assertThat(ping(new RedisTls(Optional.of(local.caCert()), true), server.url(DocumentedAcl.USER, PASSWORD)))
                .isEqualTo("PONG");
    }

    @Test
    void withoutTheCaTheServerIsNotTrusted() {
        assertThatThrownBy(() -> ping(new RedisTls(Optional.empty(), true), server.url(DocumentedAcl.USER, PASSWORD)))
                .hasStackTraceContaining("PKIX path building failed");
    }

    @Test
    void aCertificateThatNamesAnotherHostIsRefusedUnlessHostNamesAreNotChecked() {
        String url = misnamed.url(DocumentedAcl.USER, PASSWORD);

        assertThatThrownBy(() -> ping(new RedisTls(Optional.of(elsewhere.caCert()), true), url))
                .hasStackTraceContaining("127.0.0.1");
        assertThat(ping(new RedisTls(Optional.of(elsewhere.caCert()), false), url)).isEqualTo("PONG");
    }

    @Test
    void aPlainClientIsLeftAsItIs() {
        RedisOptions options = new RedisOptions().setConnectionString("redis://127.0.0.1:6379");

        new RedisTls(Optional.of(local.caCert()), true).customize("<default>", options);

        assertThat(options.getNetClientOptions().getTrustOptions()).isNull();
        assertThat(options.getNetClientOptions().getHostnameVerificationAlgorithm()).isNullOrEmpty();
    }

    @Test
    void aCaThatIsNotAReadableFileStopsTheServiceAtOnce() {
        Path missing = certificates.resolve("missing.pem");

        assertThatThrownBy(() -> new RedisTls(Optional.of(missing), true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LIVEQUEUE_REDIS_CA").hasMessageContaining(missing.toString());
        assertThat(Files.exists(missing)).isFalse();
    }

    /** PING through a client made as Quarkus makes one for {@code url} (TLS for rediss://), customized by tls. */
    private static String ping(RedisTls tls, String url) {
        RedisOptions options = new RedisOptions().setConnectionString(url);
        options.getNetClientOptions().setSsl(url.startsWith("rediss://"));
        tls.customize("<default>", options);
        Redis client = Redis.createClient(vertx, options);
        try {
            return client.send(Request.cmd(Command.PING)).await().atMost(WAIT).toString();
        } finally {
            client.close();
        }
    }
}
