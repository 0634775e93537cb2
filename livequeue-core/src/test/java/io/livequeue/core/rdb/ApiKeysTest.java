package io.livequeue.core.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** API keys in Redis: created with a name and scopes, verified from the key alone, listed without it, revoked. */
class ApiKeysTest {

    private static TestRedis redis;
    private static ApiKeys keys;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
        keys = new ApiKeys(redis.redis, redis.keyspace, TestRedis.COMMAND_TIMEOUT);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void emptyRedis() {
        redis.flushAll();
    }

    @Test
    void aCreatedKeyIsVerifiedWithItsNameAndScopes() {
        ApiKeys.Created created = create("billing", Set.of("jobs:submit", "jobs:read"));

        ApiKeys.ApiKey found = keys.verify(created.key()).await().atMost(TestRedis.TIMEOUT).orElseThrow();

        assertThat(created.key()).startsWith("lq_" + created.record().id() + "_");
        assertThat(found).isEqualTo(created.record());
        assertThat(found.scopes()).containsExactlyInAnyOrder("jobs:submit", "jobs:read");
    }

    @Test
    void aKeyWithAnotherSecretOrShapeIsUnknown() {
        ApiKeys.Created created = create("billing", Set.of("jobs:submit"));
        String key = created.key();
        char last = key.charAt(key.length() - 1);
        String tampered = key.substring(0, key.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(keys.verify(tampered).await().atMost(TestRedis.TIMEOUT)).isEmpty();
        assertThat(keys.verify(key + "x").await().atMost(TestRedis.TIMEOUT)).isEmpty();
        assertThat(keys.verify("lq_0123456789abcdef_" + "A".repeat(43)).await().atMost(TestRedis.TIMEOUT)).isEmpty();
    }

    @Test
    void redisHoldsNoKeyOnlyItsDigest() {
        ApiKeys.Created created = create("billing", Set.of("jobs:submit"));

        String dump = redis.redis.send(io.vertx.mutiny.redis.client.Request.cmd(
                io.vertx.mutiny.redis.client.Command.HGETALL).arg(redis.keyspace.apiKey(created.record().id())))
                .await().atMost(TestRedis.TIMEOUT).toString();

        assertThat(dump).doesNotContain(created.key().substring(20));
    }

    @Test
    void aRevokedKeyIsRefusedAndNoLongerListed() {
        ApiKeys.Created kept = create("a", Set.of("jobs:submit"));
        ApiKeys.Created revoked = create("b", Set.of("operator"));

        assertThat(keys.revoke(revoked.record().id()).await().atMost(TestRedis.TIMEOUT)).isTrue();

        assertThat(keys.verify(revoked.key()).await().atMost(TestRedis.TIMEOUT)).isEmpty();
        assertThat(keys.list().await().atMost(TestRedis.TIMEOUT)).containsExactly(kept.record());
        assertThat(keys.revoke(revoked.record().id()).await().atMost(TestRedis.TIMEOUT)).isFalse();
    }

    private static ApiKeys.Created create(String name, Set<String> scopes) {
        return keys.create(name, scopes).await().atMost(TestRedis.TIMEOUT);
    }
}
