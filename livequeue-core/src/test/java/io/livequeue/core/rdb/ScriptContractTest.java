package io.livequeue.core.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.livequeue.core.Ids;
import io.livequeue.core.JobStatus;
import io.livequeue.core.Priority;
import io.livequeue.core.schedule.JobTemplate;
import io.livequeue.core.schedule.ScheduleSpec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each Lua script against the Java that calls it: the KEYS and ARGV the Java really sends (recorded on their way to
 * the private redis-server, which runs them as usual) must be what the script's code reads. A key or argument added,
 * dropped or moved on one side only fails here, even where the script would silently read a wrong or missing value.
 *
 * <p>Each script is called twice, with a different number of items (jobs, outcomes, leases, field pairs), which gives
 * what Java sends as fixed keys and arguments plus so many per item. The script's code (comments left out) gives the
 * same from its indices: the highest fixed {@code KEYS[..]} it can reach ({@code KEYS[6 + p]} with a priority index p
 * reaches 9; p ranges over its {@code for p = a, b} loop if the script has one, else 1..3), the first per-item key
 * ({@code KEYS[16 + i]}, i counting items from 0), the highest literal {@code ARGV[n]}, and the per-item arguments'
 * start and stride ({@code 8 + i * 6} or {@code for i = 8, #ARGV, 3}).
 */
class ScriptContractTest {

    private static final Pattern FOR_P = Pattern.compile("for p = (\\d+), (\\d+) do");
    private static final Pattern ITEM_START_STRIDE = Pattern.compile(
            "(\\d+) \\+ i \\* (\\d+)|for i = (\\d+), #ARGV, (\\d+) do");
    private static final Pattern ITEM_COUNT = Pattern.compile("\\(#ARGV - (\\d+)\\) / (\\d+)");
    private static final Pattern ANY_ITEMS = Pattern.compile("#ARGV > (\\d+)");
    private static final Pattern ITEM_OFFSET = Pattern.compile("^[ai](?: \\+ (\\d+))?$");

    private static TestRedis redis;
    private static Recorder recorder;
    private static JobStore store;
    private static Queues queues;
    private static DeadLetters deadLetters;
    private static ApiKeys apiKeys;
    private static Schedules schedules;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
        recorder = new Recorder(redis.redis);
        store = new JobStore(recorder, redis.keyspace, TestRedis.COMMAND_TIMEOUT, PubSub.PLAIN);
        queues = new Queues(recorder, redis.keyspace, TestRedis.COMMAND_TIMEOUT);
        deadLetters = new DeadLetters(recorder, store, TestRedis.COMMAND_TIMEOUT);
        apiKeys = new ApiKeys(recorder, redis.keyspace, TestRedis.COMMAND_TIMEOUT);
        schedules = new Schedules(recorder, store, TestRedis.COMMAND_TIMEOUT);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void everyScriptReadsExactlyTheKeysAndArgumentsItsJavaSends() {
        Map<String, List<Call>> calls = new LinkedHashMap<>();
        calls.put("enqueue.lua", List.of(
                call(1, () -> store.enqueue("sms", jobs(1), 0)),
                call(2, () -> store.enqueue("sms", jobs(2), 0))));
        List<Finished> oneOutcome = outcomes(1);
        List<Finished> twoOutcomes = outcomes(2);
        calls.put("claim.lua", List.of(
                call(1, () -> store.finishAndClaim("sms", oneOutcome, "c", Duration.ofSeconds(30), Duration.ZERO, 1)),
                call(2, () -> store.finishAndClaim("sms", twoOutcomes, "c", Duration.ofSeconds(30), Duration.ZERO, 1))));
        List<ClaimedJob> oneLease = claimed(1);
        List<ClaimedJob> twoLeases = claimed(2);
        calls.put("heartbeat.lua", List.of(
                call(1, () -> store.heartbeat("sms", "c", oneLease, Duration.ofSeconds(30), Duration.ofMinutes(1),
                        Duration.ZERO)),
                call(2, () -> store.heartbeat("sms", "c", twoLeases, Duration.ofSeconds(30), Duration.ofMinutes(1),
                        Duration.ZERO))));
        calls.put("control.lua", List.of(
                call(1, () -> queues.pause("sms")),
                call(3, () -> queues.limit("sms", 2, 10, Duration.ofSeconds(1)))));
        calls.put("register.lua", List.of(call(0, () -> queues.register("sms", 10))));
        calls.put("revive.lua", List.of(call(0, () -> deadLetters.revive(Ids.newJobId("sms")))));
        calls.put("forget.lua", List.of(call(0, () -> deadLetters.forget(Ids.newJobId("sms")))));
        calls.put("cancel.lua", List.of(call(0, () -> store.cancel(Ids.newJobId("sms"), Duration.ZERO))));
        calls.put("progress.lua", List.of(call(0, () -> store.progress(oneLease.get(0), "{}", "{}"))));
        calls.put("apikey.lua", List.of(call(0, () -> apiKeys.revoke("0123456789abcdef"))));
        ScheduleSpec spec = new ScheduleSpec("nightly", null, "PT1H", null, new JobTemplate("echo", "sms", "normal", 3,
                null, null, null), null, ScheduleSpec.Missed.SKIP);
        calls.put("schedule-put.lua", List.of(call(0, () -> schedules.create(spec))));
        calls.put("schedule-control.lua", List.of(call(0, () -> schedules.pause("nightly"))));
        calls.put("schedule-due.lua", List.of(call(0, () -> schedules.due(10))));
        // a missed tick skipped: the advance is the tick's only script (a run would enqueue first)
        calls.put("schedule-advance.lua", List.of(call(0, () -> schedules.tick(new Schedules.Due("nightly", spec, 1,
                1_000, 0, null), 3_600_000, Duration.ofSeconds(5), 0))));

        assertThat(calls.keySet()).as("every script but the prelude has its calls here")
                .containsExactlyInAnyOrderElementsOf(scriptNames());
        List<String> broken = new ArrayList<>();
        calls.forEach((name, sent) -> broken.addAll(check(name, sent)));

        assertThat(broken).isEmpty();
    }

    /** What one Java call sent: how many items it carried, and its EVAL's keys and arguments. */
    private record Call(int items, String source, int keys, int args) {
    }

    /** The contract of one script, from two calls (or one, for a script without items) and its code. */
    private static List<String> check(String name, List<Call> sent) {
        List<String> broken = new ArrayList<>();
        Call first = sent.get(0);
        assertThat(first.source()).as(name + " is the script sent").contains(resource(name));
        int keysPerItem = 0;
        int argsPerItem = 0;
        if (sent.size() == 2) {
            Call second = sent.get(1);
            int more = second.items() - first.items();
            keysPerItem = (second.keys() - first.keys()) / more;
            argsPerItem = (second.args() - first.args()) / more;
        }
        int javaKeys = first.keys() - first.items() * keysPerItem;
        int javaArgs = first.args() - first.items() * argsPerItem;
        Code code = Code.of(first.source());

        if (code.fixedKeys() != javaKeys) {
            broken.add(name + ": Java sends " + javaKeys + " fixed keys, the script reads up to KEYS["
                    + code.fixedKeys() + "]");
        }
        if (keysPerItem != (code.firstItemKey() == 0 ? 0 : 1)) {
            broken.add(name + ": Java sends " + keysPerItem + " key(s) per item, the script reads "
                    + (code.firstItemKey() == 0 ? "none" : "one (KEYS[" + code.firstItemKey() + " + i])"));
        } else if (keysPerItem == 1 && code.firstItemKey() != javaKeys + 1) {
            broken.add(name + ": the first item's key is KEYS[" + (javaKeys + 1) + "] in Java, KEYS["
                    + code.firstItemKey() + "] in the script");
        }
        if (code.fixedArgs() > javaArgs) {
            broken.add(name + ": Java sends " + javaArgs + " fixed arguments, the script reads ARGV["
                    + code.fixedArgs() + "]");
        }
        if (argsPerItem == 0) {
            if (code.itemStart() != 0) {
                broken.add(name + ": the script reads per-item arguments from ARGV[" + code.itemStart()
                        + "], Java sends none");
            }
            if (code.fixedArgs() != javaArgs) {
                broken.add(name + ": Java sends " + javaArgs + " arguments, the script reads up to ARGV["
                        + code.fixedArgs() + "]");
            }
            return broken;
        }
        if (code.itemStart() != javaArgs + 1 || code.itemStride() != argsPerItem) {
            broken.add(name + ": Java sends " + javaArgs + " fixed arguments and " + argsPerItem
                    + " per item; the script reads items from ARGV[" + code.itemStart() + "], "
                    + code.itemStride() + " each");
        }
        if (code.highestItemOffset() >= argsPerItem) {
            broken.add(name + ": the script reads the " + (code.highestItemOffset() + 1) + "th argument of an item, "
                    + "Java sends " + argsPerItem);
        }
        for (int[] count : code.itemCounts()) {
            if (count[0] != javaArgs || count[1] != argsPerItem) {
                broken.add(name + ": the script counts items as (#ARGV - " + count[0] + ") / " + count[1]
                        + ", Java sends " + javaArgs + " + " + argsPerItem + " per item");
            }
        }
        for (int fixed : code.anyItems()) {
            if (fixed != javaArgs) {
                broken.add(name + ": the script tests #ARGV > " + fixed + ", Java sends " + javaArgs
                        + " fixed arguments");
            }
        }
        return broken;
    }

    /** What a script's code reads: see the class comment. */
    private record Code(int fixedKeys, int firstItemKey, int fixedArgs, int itemStart, int itemStride,
            int highestItemOffset, List<int[]> itemCounts, List<Integer> anyItems) {

        static Code of(String source) {
            String code = source.replaceAll("--[^\n]*", "");
            Matcher loop = FOR_P.matcher(code);
            int highestPriority = loop.find() ? Integer.parseInt(loop.group(2)) : 3;
            int fixedKeys = 0;
            int firstItemKey = 0;
            for (String index : indices(code, "KEYS[")) {
                String[] parts = index.split(" \\+ ", 2);
                boolean literal = parts[0].matches("\\d+");
                int base = literal ? Integer.parseInt(parts[0]) : 0;
                String term = literal ? (parts.length == 2 ? parts[1] : null) : index;
                if ("i".equals(term)) {
                    firstItemKey = base;
                } else {
                    fixedKeys = Math.max(fixedKeys, base + (term == null ? 0 : highestPriority));
                }
            }
            int fixedArgs = 0;
            int highestItemOffset = -1;
            for (String index : indices(code, "ARGV[")) {
                Matcher offset = ITEM_OFFSET.matcher(index);
                if (index.matches("\\d+")) {
                    fixedArgs = Math.max(fixedArgs, Integer.parseInt(index));
                } else if (offset.matches()) {
                    highestItemOffset = Math.max(highestItemOffset,
                            offset.group(1) == null ? 0 : Integer.parseInt(offset.group(1)));
                } else {
                    throw new AssertionError("an ARGV index this test cannot read: ARGV[" + index + "]");
                }
            }
            int itemStart = 0;
            int itemStride = 0;
            Matcher items = ITEM_START_STRIDE.matcher(code);
            if (items.find()) {
                itemStart = Integer.parseInt(items.group(1) != null ? items.group(1) : items.group(3));
                itemStride = Integer.parseInt(items.group(2) != null ? items.group(2) : items.group(4));
            }
            List<int[]> itemCounts = new ArrayList<>();
            Matcher count = ITEM_COUNT.matcher(code);
            while (count.find()) {
                itemCounts.add(new int[] {Integer.parseInt(count.group(1)), Integer.parseInt(count.group(2))});
            }
            List<Integer> anyItems = new ArrayList<>();
            Matcher any = ANY_ITEMS.matcher(code);
            while (any.find()) {
                anyItems.add(Integer.parseInt(any.group(1)));
            }
            return new Code(fixedKeys, firstItemKey, fixedArgs, itemStart, itemStride, highestItemOffset, itemCounts,
                    anyItems);
        }

        /** The index expressions of every {@code table[...]} in {@code code}, brackets balanced. */
        private static List<String> indices(String code, String table) {
            List<String> found = new ArrayList<>();
            for (int at = code.indexOf(table); at >= 0; at = code.indexOf(table, at + 1)) {
                int depth = 1;
                int end = at + table.length();
                while (depth > 0) {
                    char c = code.charAt(end++);
                    depth += c == '[' ? 1 : c == ']' ? -1 : 0;
                }
                found.add(code.substring(at + table.length(), end - 1).trim());
            }
            return found;
        }
    }

    /**
     * Runs {@code action} on a Redis without cached scripts, so the script goes out as EVAL with its source (set its
     * data up before: that would load scripts again).
     */
    private static Call call(int items, Supplier<Uni<?>> action) {
        redis.send(Command.SCRIPT, "FLUSH");
        recorder.sent.clear();
        try {
            action.get().await().atMost(TestRedis.TIMEOUT);
        } catch (RuntimeException e) {
            // a script that reads the wrong keys may well fail: what it was sent is recorded all the same, and the
            // contract below says what is wrong better than Redis's error would
        }
        List<List<String>> evals = recorder.sent.stream().filter(args -> "EVAL".equalsIgnoreCase(args.get(0)))
                .toList();
        assertThat(evals).as("one EVAL among %s", recorder.sent).hasSize(1);
        List<String> eval = evals.get(0);
        int keys = Integer.parseInt(eval.get(2));
        return new Call(items, eval.get(1), keys, eval.size() - 3 - keys);
    }

    private static List<NewJob> jobs(int count) {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(new NewJob(Ids.newJobId("sms"), "sms", Priority.NORMAL, 3, "{}", "AAAAAAAAAAAAAAAAAAAAAA"));
        }
        return jobs;
    }

    /** {@code count} jobs claimed by consumer c (through the plain client, so nothing is recorded). */
    private static List<ClaimedJob> claimed(int count) {
        redis.store.enqueue("sms", jobs(count), 0).await().atMost(TestRedis.TIMEOUT);
        return redis.store.finishAndClaim("sms", List.of(), "c", Duration.ofSeconds(30), Duration.ZERO, count).await()
                .atMost(TestRedis.TIMEOUT).claimed();
    }

    private static List<Finished> outcomes(int count) {
        return claimed(count).stream().map(job -> new Finished(job, JobStatus.COMPLETED, "1", null, "{}",
                Duration.ZERO)).toList();
    }

    private static List<String> scriptNames() {
        try (Stream<Path> files = Files.list(Path.of(LuaScript.class.getResource("claim.lua").toURI()).getParent())) {
            return files.map(file -> file.getFileName().toString())
                    .filter(file -> file.endsWith(".lua") && !file.equals("prelude.lua")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The real client with every request noted on its way out (as its arguments, read back from the RESP the request
     * encodes to); the requests still go to the private Redis and their replies come back unchanged.
     */
    private static final class Recorder extends Redis {

        final List<List<String>> sent = new CopyOnWriteArrayList<>();

        Recorder(Redis real) {
            super(real.getDelegate());
        }

        @Override
        public Uni<Response> send(Request request) {
            sent.add(arguments(request));
            return super.send(request);
        }

        @Override
        public Uni<List<Response>> batch(List<Request> requests) {
            requests.forEach(request -> sent.add(arguments(request)));
            return super.batch(requests);
        }

        /** The arguments of a request, from its RESP encoding: {@code *n\r\n} then n times {@code $len\r\nbytes\r\n}. */
        private static List<String> arguments(Request request) {
            byte[] resp = request.getDelegate().toString().getBytes(StandardCharsets.UTF_8);
            int at = 0;
            int lineEnd = indexOfCrLf(resp, at);
            int count = Integer.parseInt(new String(resp, 1, lineEnd - 1, StandardCharsets.US_ASCII));
            at = lineEnd + 2;
            List<String> args = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                lineEnd = indexOfCrLf(resp, at);
                int length = Integer.parseInt(new String(resp, at + 1, lineEnd - at - 1, StandardCharsets.US_ASCII));
                args.add(new String(resp, lineEnd + 2, length, StandardCharsets.UTF_8));
                at = lineEnd + 2 + length + 2;
            }
            return args;
        }

        private static int indexOfCrLf(byte[] bytes, int from) {
            for (int i = from; i + 1 < bytes.length; i++) {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                    return i;
                }
            }
            throw new IllegalArgumentException("not RESP");
        }
    }
}
