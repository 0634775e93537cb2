package io.livequeue.e2e;

import io.livequeue.testing.RedisServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole stack as a user runs it: a private redis-server and the packaged services as separate JVM processes
 * on free loopback ports. As a JUnit extension ({@code @ExtendWith(LiveStack.class)}) one stack with one consumer is
 * shared by all test classes and stopped when the run ends; fault-injection tests build their own with
 * {@link #start(String, int, String...)} and start (more consumers and gateways too), kill, stop or restart services
 * and Redis as they need. Logs go to {@code end-to-end-tests/target/e2e-logs}.
 */
public final class LiveStack implements BeforeAllCallback, ExtensionContext.Store.CloseableResource, AutoCloseable {

    /** The operators' token every service of a stack is started with (dashboard, dead-letter API). */
    static final String OPERATOR_TOKEN = "e2e-operator-token-of-at-least-32-bytes";
    static final String TOKEN_SECRET = "e2e-job-token-secret-of-at-least-32-bytes";
    private static final Path ROOT = Path.of(System.getProperty("livequeue.root", "..")).toAbsolutePath().normalize();
    private static LiveStack shared;

    private final Path logs;
    private final RedisServer redis;
    private final List<ServiceProcess> services = new ArrayList<>();
    private ServiceProcess producer;
    private ServiceProcess gateway;
    private final List<ServiceProcess> gateways = new ArrayList<>();
    private final List<ServiceProcess> consumers = new ArrayList<>();
    /** Set when the stack runs on a Redis someone else started (a Cluster, a Sentinel set-up): see {@link #startOn}. */
    private String externalHosts;
    private List<String> redisProperties = List.of();
    /** Given to every service of the stack. */
    private List<String> common = List.of();
    /** Environment variables of every service of the stack (as an operator sets REDIS_URL, say). */
    private Map<String, String> environment = Map.of();

    /** Only for JUnit, which instantiates the extension. */
    public LiveStack() {
        this.logs = null;
        this.redis = null;
    }

    private LiveStack(String name, String... redisArgs) {
        this.logs = ROOT.resolve("end-to-end-tests/target/e2e-logs").resolve(name);
        this.redis = RedisServer.start(redisArgs);
    }

    private LiveStack(String name, String hosts, List<String> redisProperties) {
        this.logs = ROOT.resolve("end-to-end-tests/target/e2e-logs").resolve(name);
        this.redis = null;
        this.externalHosts = hosts;
        this.redisProperties = List.copyOf(redisProperties);
    }

    /** A stack of its own: Redis (with {@code redisArgs}), producer, gateway and {@code consumers} consumers. */
    static LiveStack start(String name, int consumers, String... redisArgs) {
        return boot(new LiveStack(name, redisArgs), consumers);
    }

    /**
     * A stack of its own on a Redis the test runs itself ({@link io.livequeue.testing.RedisCluster},
     * {@link io.livequeue.testing.RedisSentinelSetup}): every service gets {@code quarkus.redis.hosts=<hosts>} and
     * {@code redisProperties} (e.g. {@code quarkus.redis.client-type=cluster}). {@link #redis()} is null then and
     * {@link #close()} leaves that Redis running.
     */
    static LiveStack startOn(String name, int consumers, String hosts, String... redisProperties) {
        return boot(new LiveStack(name, hosts, List.of(redisProperties)), consumers);
    }

    private static LiveStack boot(LiveStack stack, int consumers) {
        try {
            // default CORS: the pages (gateway, test pages) are on other loopback ports, which the default allows
            stack.producer = stack.launch("producer-service", "producer");
            for (int i = 0; i < consumers; i++) {
                stack.startConsumer();
            }
            stack.gateway = stack.startGateway();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /**
     * A stack of its own whose every service also gets {@code common} (e.g. {@code livequeue.queues.routes.sms=sms},
     * which producers and consumers share): Redis, producer, gateway and no consumer; start consumers with
     * {@link #startConsumer}.
     */
    static LiveStack startWith(String name, List<String> common) {
        LiveStack stack = new LiveStack(name);
        stack.common = List.copyOf(common);
        return boot(stack, 0);
    }

    /**
     * A stack of its own on a Redis the test runs itself, configured as an operator configures one: every service gets
     * the environment variables {@code environment} (REDIS_URL, LIVEQUEUE_REDIS_CA, …) and no
     * {@code quarkus.redis.hosts} property. {@link #redis()} is null then and {@link #close()} leaves that Redis
     * running.
     */
    static LiveStack startWithEnvironment(String name, int consumers, Map<String, String> environment) {
        LiveStack stack = new LiveStack(name, null, List.of());
        stack.environment = Map.copyOf(environment);
        return boot(stack, consumers);
    }

    /** Only a Redis of its own: start consumers with {@link #startConsumer} (no producer, no gateway). */
    static LiveStack redisOnly(String name) {
        return new LiveStack(name);
    }

    /** The stack shared by classes annotated {@code @ExtendWith(LiveStack.class)}. */
    static LiveStack get() {
        return shared;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (LiveStack.class) {
            if (shared == null) {
                shared = start("shared", 1);
                // JUnit closes what is in the root store when the whole run ends
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(LiveStack.class.getName(), shared);
            }
        }
    }

    ServiceProcess startConsumer(String... properties) {
        ServiceProcess consumer = launch("consumer-service", "consumer-" + (consumers.size() + 1), properties);
        consumers.add(consumer);
        return consumer;
    }

    List<ServiceProcess> consumers() {
        return List.copyOf(consumers);
    }

    /**
     * Starts one more gateway on the same Redis and producer (the first one is {@link #gatewayProcess()}): a scaled-out
     * deployment behind a load balancer.
     */
    ServiceProcess startGateway(String... properties) {
        return startGateway(ServiceProcess.DEFAULT_JVM_OPTIONS, Map.of(), properties);
    }

    /** As {@link #startGateway(String...)}, with these JVM options and environment variables (run.sh's, say). */
    ServiceProcess startGateway(List<String> jvmOptions, Map<String, String> environment, String... properties) {
        List<String> all = new ArrayList<>(List.of("livequeue.gateway.producer-url=" + producer()));
        all.addAll(List.of(properties));
        String name = gateways.isEmpty() ? "gateway" : "gateway-" + (gateways.size() + 1);
        ServiceProcess started = launch("websocket-gateway", name, jvmOptions, environment, all.toArray(String[]::new));
        gateways.add(started);
        if (gateway == null) {
            gateway = started;
        }
        return started;
    }

    /**
     * A stack of its own without a gateway: Redis, producer and {@code consumers} consumers; start the gateway with
     * {@link #startGateway(List, Map, String...)}, e.g. with run.sh's JVM options.
     */
    static LiveStack startWithoutGateway(String name, int consumers) {
        LiveStack stack = new LiveStack(name);
        try {
            stack.producer = stack.launch("producer-service", "producer");
            for (int i = 0; i < consumers; i++) {
                stack.startConsumer();
            }
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    List<ServiceProcess> gateways() {
        return List.copyOf(gateways);
    }

    String producer() {
        return producer.url();
    }

    String gateway() {
        return gateway.url();
    }

    String gatewaySocket(String path) {
        return gateway.ws(path);
    }

    ServiceProcess gatewayProcess() {
        return gateway;
    }

    List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    RedisServer redis() {
        return redis;
    }

    @Override
    public void close() {
        if (this == shared) {
            shared = null;
        }
        services.forEach(ServiceProcess::close);
        if (redis != null) {
            redis.close();
        }
    }

    private ServiceProcess launch(String module, String name, String... properties) {
        return launch(module, name, ServiceProcess.DEFAULT_JVM_OPTIONS, Map.of(), properties);
    }

    /** The stack's environment (see {@link #startWithEnvironment}) with {@code extra} over it. */
    private Map<String, String> environmentWith(Map<String, String> extra) {
        Map<String, String> all = new java.util.HashMap<>(environment);
        all.putAll(extra);
        return all;
    }

    private ServiceProcess launch(String module, String name, List<String> jvmOptions, Map<String, String> environment,
            String... properties) {
        String hosts = redis != null ? redis.url() : externalHosts;
        List<String> all = new ArrayList<>(List.of("livequeue.token.secret=" + TOKEN_SECRET,
                "livequeue.operator.token=" + OPERATOR_TOKEN, "livequeue.auth=none"));
        if (hosts != null) {
            all.add(0, "quarkus.redis.hosts=" + hosts);
        }
        all.addAll(redisProperties);
        all.addAll(common);
        all.addAll(List.of(properties));
        ServiceProcess service = ServiceProcess.start(ROOT, module, name, logs, jvmOptions,
                environmentWith(environment), all);
        services.add(service);
        return service;
    }
}
