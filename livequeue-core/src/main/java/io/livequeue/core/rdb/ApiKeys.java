package io.livequeue.core.rdb;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The producers' API keys in Redis. A key reads {@code lq_<id>_<secret>}: the id finds its record in one HGETALL,
 * and only the SHA-256 of the whole key is stored, so a copy of Redis gives nobody a usable key. A plain hash is
 * enough because the secret is 256 random bits (as GitHub and Stripe store theirs), which no dictionary can guess; a
 * slow hash would only cost CPU on every request. Keys are created and revoked by operators; a revoked key's record
 * is deleted at once.
 */
public final class ApiKeys {

    /** What every key starts with, so a leaked one is easy to recognise (and to scan for). */
    public static final String PREFIX = "lq_";
    private static final Pattern SHAPE = Pattern.compile("lq_([0-9a-f]{16})_[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final LuaScript SCRIPT = LuaScript.load("apikey.lua", false);

    /** A key as stored: everything but the key itself. */
    public record ApiKey(String id, String name, Set<String> scopes, long createdAt) {
    }

    /** A new key and its record: the only time the key is seen. */
    public record Created(ApiKey record, String key) {
    }

    private final Redis redis;
    private final Keyspace keyspace;
    private final Duration timeout;

    public ApiKeys(Redis redis, Keyspace keyspace, Duration timeout) {
        this.redis = redis;
        this.keyspace = keyspace;
        this.timeout = timeout;
    }

    /** True when {@code presented} has the shape of a livequeue API key (it may still be unknown or revoked). */
    public static boolean looksLikeKey(String presented) {
        return presented != null && presented.startsWith(PREFIX);
    }

    public Uni<Created> create(String name, Set<String> scopes) {
        byte[] idBytes = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(idBytes);
        RANDOM.nextBytes(secret);
        String id = HexFormat.of().formatHex(idBytes);
        String key = PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        long now = System.currentTimeMillis();
        ApiKey record = new ApiKey(id, name, Set.copyOf(scopes), now);
        return Calls.guarded("create API key", timeout, SCRIPT.run(redis, List.of(keyspace.apiKey(id),
                keyspace.apiKeys()), List.of("create", id, name, String.join(" ", new TreeSet<>(scopes)), sha256(key),
                Long.toString(now)))).replaceWith(new Created(record, key));
    }

    /** The record of {@code presented} when it is a live key; empty for a malformed, unknown or revoked one. */
    public Uni<Optional<ApiKey>> verify(String presented) {
        if (presented == null || !SHAPE.matcher(presented).matches()) {
            return Uni.createFrom().item(Optional.empty());
        }
        String id = presented.substring(3, 19);
        return Calls.guarded("verify API key", timeout,
                redis.send(Request.cmd(Command.HGETALL).arg(keyspace.apiKey(id)))).map(reply -> {
                    Map<String, String> hash = Calls.toMap(reply);
                    String stored = hash.get("sha256");
                    if (stored == null || !MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII),
                            sha256(presented).getBytes(StandardCharsets.US_ASCII))) {
                        return Optional.empty();
                    }
                    return Optional.of(record(id, hash));
                });
    }

    /** Every live key, oldest first. */
    public Uni<List<ApiKey>> list() {
        return Calls.guarded("list API keys", timeout,
                redis.send(Request.cmd(Command.SMEMBERS).arg(keyspace.apiKeys()))).flatMap(members -> {
                    List<String> ids = new ArrayList<>();
                    members.forEach(member -> ids.add(member.toString()));
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(List.<ApiKey>of());
                    }
                    List<Request> reads = ids.stream()
                            .map(id -> Request.cmd(Command.HGETALL).arg(keyspace.apiKey(id))).toList();
                    return Calls.guarded("list API keys", timeout, redis.batch(reads)).map(replies -> {
                        List<ApiKey> keys = new ArrayList<>();
                        for (int i = 0; i < ids.size(); i++) {
                            Map<String, String> hash = Calls.toMap(replies.get(i));
                            if (hash.containsKey("sha256")) {
                                keys.add(record(ids.get(i), hash));
                            }
                        }
                        keys.sort(Comparator.comparingLong(ApiKey::createdAt).thenComparing(ApiKey::id));
                        return keys;
                    });
                });
    }

    /** Deletes the key with this id; true when there was one. */
    public Uni<Boolean> revoke(String id) {
        return Calls.guarded("revoke API key", timeout, SCRIPT.run(redis, List.of(keyspace.apiKey(id),
                keyspace.apiKeys()), List.of("revoke", id, "", "", "", ""))).map(reply -> reply.toLong() > 0);
    }

    private static ApiKey record(String id, Map<String, String> hash) {
        String scopes = hash.getOrDefault("scopes", "");
        return new ApiKey(id, hash.get("name"), scopes.isEmpty() ? Set.of()
                : new LinkedHashSet<>(Arrays.asList(scopes.split(" "))),
                Long.parseLong(hash.getOrDefault("createdAt", "0")));
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
