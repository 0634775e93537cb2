package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.livequeue.testing.DocumentedAcl;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Schema: src/test/resources/compose-spec.json is the Compose Specification JSON schema (compose-spec project,
 * Apache-2.0, see src/test/resources/LICENSE-compose-spec), copied from the shared schemas directory.
 *
 * <p>Checks docker-compose.yml, docker-compose.jvm.yml and the Dockerfiles they build with, without Docker (none on
 * the build machines): the compose file is valid Compose, everything the builds copy exists, ports, environment,
 * health checks, start order and users agree with the services' application.properties. A plain unit test (run by
 * surefire in {@code test}, so also in {@code verify}); it starts nothing.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of(System.getProperty("livequeue.root", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> APP_SERVICES = List.of("producer-service", "consumer-service", "websocket-gateway");
    /** quarkus.http.port of each service, as the compose file and the Dockerfiles must use it. */
    private static final Map<String, Integer> HTTP_PORTS = Map.of(
            "producer-service", 8081,
            "consumer-service", 8082,
            "websocket-gateway", 8080);

    /**
     * Every environment variable the compose files may set, and the property it sets. {@code viaPlaceholder}: the
     * property's value in application.properties is {@code ${NAME:default}}; otherwise the name is the property's
     * MicroProfile Config environment name (non-alphanumerics to '_', upper case).
     */
    private record EnvMapping(String property, boolean viaPlaceholder) {
    }

    private static final Map<String, EnvMapping> KNOWN_ENV = Map.of(
            "REDIS_URL", new EnvMapping("quarkus.redis.hosts", true),
            "LIVEQUEUE_CORS_ORIGINS", new EnvMapping("quarkus.http.cors.origins", true),
            "LIVEQUEUE_TOKEN_SECRET", new EnvMapping("livequeue.token.secret", false),
            "LIVEQUEUE_OPERATOR_TOKEN", new EnvMapping("livequeue.operator.token", false),
            "LIVEQUEUE_AUTH", new EnvMapping("livequeue.auth", false),
            "LIVEQUEUE_CONSUMER_WORKERS", new EnvMapping("livequeue.consumer.workers", false),
            "LIVEQUEUE_GATEWAY_PRODUCER_URL", new EnvMapping("livequeue.gateway.producer-url", false));

    private static final Map<String, Set<String>> EXPECTED_ENV = Map.of(
            // LIVEQUEUE_CORS_ORIGINS is left to its default (pages on the host's loopback: the demo page, dev servers)
            "producer-service", Set.of("REDIS_URL", "LIVEQUEUE_TOKEN_SECRET", "LIVEQUEUE_OPERATOR_TOKEN",
                    "LIVEQUEUE_AUTH"),
            "consumer-service", Set.of("REDIS_URL", "LIVEQUEUE_CONSUMER_WORKERS"),
            "websocket-gateway", Set.of("REDIS_URL", "LIVEQUEUE_TOKEN_SECRET", "LIVEQUEUE_OPERATOR_TOKEN",
                    "LIVEQUEUE_GATEWAY_PRODUCER_URL"));

    @Test
    void composeFilesAreValidAgainstTheComposeSpecification() throws IOException {
        JsonSchema schema;
        try (InputStream in = ComposeFileTest.class.getResourceAsStream("/compose-spec.json")) {
            assertThat(in).as("compose-spec.json on the test classpath").isNotNull();
            // the schema's "$id" is the relative "compose_spec.json", which the validator refuses as a base IRI:
            // give it the absolute location it is read from ("#/definitions/..." refs stay inside this document)
            ObjectNode tree = (ObjectNode) JSON.readTree(in);
            assertThat(tree.path("$id").asText()).isEqualTo("compose_spec.json");
            tree.put("$id", "classpath:compose-spec.json");
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(tree);
        }
        for (String file : List.of("docker-compose.yml", "docker-compose.jvm.yml")) {
            Set<ValidationMessage> errors = schema.validate(compose(file));
            assertThat(errors).as(file + " against compose-spec.json").isEmpty();
        }
    }

    @Test
    void theStackIsRedisAndTheThreeServices() throws IOException {
        JsonNode services = compose("docker-compose.yml").path("services");
        assertThat(fieldNames(services))
                .containsExactlyInAnyOrder("redis", "producer-service", "consumer-service", "websocket-gateway");
        assertThat(fieldNames(compose("docker-compose.jvm.yml").path("services")))
                .containsExactlyInAnyOrderElementsOf(APP_SERVICES);
    }

    @Test
    void redisIsASupportedLineWithAnAppendOnlyFileSyncedEverySecondAndNoEviction() throws IOException {
        JsonNode redis = compose("docker-compose.yml").path("services").path("redis");
        // Redis 7.2 or later, or Valkey 8 or later (7.0, which the stack ran before, is out of support)
        Matcher image = Pattern.compile("(redis|valkey/valkey):(\\d+)(?:\\.(\\d+))?(?:[.-].*)?")
                .matcher(redis.path("image").asText());
        assertThat(image.matches()).as("redis image " + redis.path("image").asText()).isTrue();
        int major = Integer.parseInt(image.group(2));
        int minor = image.group(3) == null ? Integer.MAX_VALUE : Integer.parseInt(image.group(3));
        assertThat(image.group(1).equals("redis") ? major > 7 || (major == 7 && minor >= 2) : major >= 8)
                .as("a supported line: " + redis.path("image").asText()).isTrue();
        String server = image.group(1).equals("redis") ? "redis" : "valkey";

        List<String> command = strings(redis.path("command"));
        assertThat(command.get(0)).isEqualTo(server + "-server");
        assertThat(command)
                .containsSubsequence("--appendonly", "yes")
                .containsSubsequence("--appendfsync", "everysec")
                // a queue must never lose jobs to eviction: a full Redis refuses writes instead
                .containsSubsequence("--maxmemory-policy", "noeviction")
                .contains("--maxmemory");
    }

    @Test
    void redisLetsInOnlyTheDocumentedUserWhosePasswordMustBeSet() throws IOException {
        JsonNode services = compose("docker-compose.yml").path("services");
        JsonNode redis = services.path("redis");
        List<String> command = strings(redis.path("command"));
        String required = "${LIVEQUEUE_REDIS_PASSWORD:?";

        assertThat(command).as("anonymous access off").containsSubsequence("--user", "default", "off");
        int user = command.indexOf("livequeue");
        assertThat(user).as("--user livequeue").isPositive();
        assertThat(command.get(user - 1)).isEqualTo("--user");
        int end = user + 1;
        while (end < command.size() && !command.get(end).startsWith("--") && !command.get(end).startsWith(">")) {
            end++;
        }
        assertThat(String.join(" ", command.subList(user + 1, end))).as("the rules of " + DocumentedAcl.PATH)
                .isEqualTo(DocumentedAcl.rules());
        assertThat(command.get(end)).as("the password: required, no default").startsWith(">" + required)
                .endsWith("}");
        assertThat(command.stream().filter(arg -> arg.startsWith(">")).count()).as("one password").isEqualTo(1);
        assertThat(command).doesNotContain("--requirepass");

        // the health check logs in too (without the password a PING only gets NOAUTH, and the CLI still exits 0)
        List<String> health = strings(redis.path("healthcheck").path("test"));
        assertThat(health).hasSize(2).first().isEqualTo("CMD-SHELL");
        assertThat(health.get(1))
                .contains("--user livequeue", "\"$$LIVEQUEUE_REDIS_PASSWORD\"", "ping", "grep -q PONG");
        assertThat(redis.path("environment").path("LIVEQUEUE_REDIS_PASSWORD").asText()).startsWith(required);

        for (String service : APP_SERVICES) {
            assertThat(services.path(service).path("environment").path("REDIS_URL").asText()).as(service)
                    .matches("redis://livequeue:" + Pattern.quote(required) + "[^}]+\\}@redis:6379");
        }
        assertThat(Files.readString(ROOT.resolve(".env.example"))).containsPattern("(?m)^LIVEQUEUE_REDIS_PASSWORD=$");
        assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).contains(".env");
    }

    @Test
    void servicesBuildTheNativeDockerfileAndTheOverrideTheJvmOne() throws IOException {
        JsonNode services = compose("docker-compose.yml").path("services");
        JsonNode jvm = compose("docker-compose.jvm.yml").path("services");
        for (String service : APP_SERVICES) {
            JsonNode build = services.path(service).path("build");
            assertThat(build.path("context").asText()).as(service + " build context").isEqualTo(".");
            Path context = ROOT.resolve(build.path("context").asText()).normalize();
            assertThat(context).as(service + " build context").isDirectory();
            assertThat(build.path("dockerfile").asText()).as(service).isEqualTo("docker/Dockerfile.native");
            assertThat(context.resolve(build.path("dockerfile").asText())).as(service + " dockerfile").isRegularFile();
            assertThat(build.path("args").path("SERVICE").asText()).as(service + " build arg SERVICE").isEqualTo(service);
            assertThat(build.path("args").path("PORT").asText()).as(service + " build arg PORT")
                    .isEqualTo(String.valueOf(HTTP_PORTS.get(service)));
            assertThat(context.resolve(service).resolve("pom.xml")).as(service + " module").isRegularFile();

            // the override changes only the Dockerfile; the context and args come from docker-compose.yml
            JsonNode jvmBuild = jvm.path(service).path("build");
            assertThat(fieldNames(jvmBuild)).as(service + " build in the override").containsExactly("dockerfile");
            assertThat(jvmBuild.path("dockerfile").asText()).as(service).isEqualTo("docker/Dockerfile.jvm");
            assertThat(context.resolve(jvmBuild.path("dockerfile").asText())).isRegularFile();
        }
    }

    @Test
    void everythingTheDockerfilesCopyExistsInTheBuildContext() throws IOException {
        List<String> modules = new ArrayList<>();
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (m.find()) {
            modules.add(m.group(1).trim());
        }
        assertThat(modules).contains("livequeue-core", "livequeue-testing", "end-to-end-tests").containsAll(APP_SERVICES);

        for (String dockerfile : List.of("docker/Dockerfile.native", "docker/Dockerfile.jvm")) {
            List<String> sources = copySources(dockerfile);
            assertThat(sources).as(dockerfile + " COPY sources").isNotEmpty();
            for (String source : sources) {
                assertThat(source).as(dockerfile + ": COPY source " + source).doesNotContain("${", "target");
                assertThat(ROOT.resolve(source)).as(dockerfile + ": COPY source " + source).exists();
            }
            // -pl SERVICE -am reads every module of the reactor: each one (or at least its pom) must be copied
            assertThat(sources).as(dockerfile).contains("pom.xml");
            for (String module : modules) {
                assertThat(sources.contains(module) || sources.contains(module + "/pom.xml"))
                        .as(dockerfile + " copies module " + module).isTrue();
            }
        }
        assertThat(copySources("docker/Dockerfile.native"))
                .contains("mvnw", ".mvn", "docker/healthcheck/HealthCheck.java");
    }

    @Test
    void theNativeDockerfileBuildsWithMandrelAndRunsOnTheMicroImageAsNonRoot() throws IOException {
        List<String> lines = instructions("docker/Dockerfile.native");
        assertThat(lines.stream().filter(l -> l.startsWith("FROM ")).toList()).containsExactly(
                "FROM quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-21 AS build",
                "FROM quay.io/quarkus/ubi9-quarkus-micro-image:2.0");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("RUN ")
                .contains("./mvnw -B -DskipTests", "package -Dnative -pl \"${SERVICE}\" -am"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("RUN ")
                .contains("native-image", "-o /project/healthcheck/healthcheck HealthCheck"));
        assertThat(lines).contains(
                "COPY --from=build --chown=1001:0 --chmod=0755 /project/application /work/application",
                "COPY --from=build --chown=1001:0 --chmod=0755 /project/healthcheck/healthcheck /work/healthcheck",
                "EXPOSE ${PORT}",
                "HEALTHCHECK --interval=5s --timeout=3s --retries=12 CMD [\"/work/healthcheck\"]");
        assertThat(lastOf(lines, "USER ")).isEqualTo("USER 1001");
        assertThat(lastOf(lines, "ENTRYPOINT ")).isEqualTo(
                "ENTRYPOINT [\"/work/application\", \"-XX:+ExitOnOutOfMemoryError\", \"-Dquarkus.http.host=0.0.0.0\"]");
        assertThat(lastOf(instructions("docker/Dockerfile.jvm"), "USER ")).isEqualTo("USER 185");

        // -Dnative (and -Pnative) switch the build to a native executable
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        assertThat(pom).containsPattern("(?s)<profile>\\s*<id>native</id>.*?<name>native</name>.*?"
                + "<quarkus\\.native\\.enabled>true</quarkus\\.native\\.enabled>.*?</profile>");
    }

    @Test
    void publishedPortsAreTheServicesHttpPortsAndTheConsumerPublishesNone() throws IOException {
        JsonNode services = compose("docker-compose.yml").path("services");
        for (String service : APP_SERVICES) {
            assertThat(applicationProperties(service).getProperty("quarkus.http.port"))
                    .as(service + " quarkus.http.port").isEqualTo(String.valueOf(HTTP_PORTS.get(service)));
        }
        assertThat(strings(services.path("producer-service").path("ports"))).containsExactly("8081:8081");
        assertThat(strings(services.path("websocket-gateway").path("ports"))).containsExactly("8080:8080");
        assertThat(services.path("consumer-service").has("ports")).as("consumer-service ports (--scale)").isFalse();
        assertThat(services.path("redis").has("ports")).as("redis ports").isFalse();
        JsonNode jvm = compose("docker-compose.jvm.yml").path("services");
        for (String service : APP_SERVICES) {
            assertThat(jvm.path(service).has("ports")).as(service + " ports in the override").isFalse();
        }
    }

    @Test
    void everyEnvironmentVariableSetsAPropertyTheServiceKnows() throws IOException {
        JsonNode services = compose("docker-compose.yml").path("services");
        for (String service : APP_SERVICES) {
            JsonNode environment = services.path(service).path("environment");
            assertThat(environment.isObject()).as(service + " environment as a map").isTrue();
            assertThat(fieldNames(environment)).as(service + " environment")
                    .containsExactlyInAnyOrderElementsOf(EXPECTED_ENV.get(service));
            String text = Files.readString(propertiesFile(service));
            Properties properties = applicationProperties(service);
            for (String name : fieldNames(environment)) {
                assertThat(name).matches("REDIS_URL|LIVEQUEUE_[A-Z0-9_]+|QUARKUS_[A-Z0-9_]+");
                EnvMapping mapping = KNOWN_ENV.get(name);
                assertThat(mapping).as(service + ": " + name + " is not in the allow-list of this test").isNotNull();
                if (mapping.viaPlaceholder()) {
                    assertThat(properties.getProperty(mapping.property()))
                            .as(service + ": " + mapping.property() + " reads " + name)
                            .startsWith("${" + name + ":");
                } else {
                    assertThat(envName(mapping.property())).as(mapping.property() + " from the environment")
                            .isEqualTo(name);
                    // set, or documented as a commented-out line (an optional config mapping member)
                    assertThat(text).as(service + " application.properties knows " + mapping.property())
                            .containsPattern("(?m)^(# )?" + Pattern.quote(mapping.property()) + "=");
                }
            }
        }
        assertThat(envName("livequeue.gateway.producer-url")).isEqualTo("LIVEQUEUE_GATEWAY_PRODUCER_URL");
    }

    @Test
    void secretsAndTheAuthSettingHaveNoDefaultAndAreAllInEnvExample() throws IOException {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        String example = Files.readString(ROOT.resolve(".env.example"));
        for (String name : List.of("LIVEQUEUE_TOKEN_SECRET", "LIVEQUEUE_OPERATOR_TOKEN", "LIVEQUEUE_AUTH")) {
            assertThat(compose).as(name + " is required, not defaulted").contains("${" + name + ":?")
                    .doesNotContain("${" + name + ":-");
            assertThat(example).as(".env.example lists " + name).containsPattern("(?m)^" + name + "=");
        }
        assertThat(compose).doesNotContain("livequeue-dev-");
    }

    @Test
    void everyServiceHasAHealthCheckOnReadinessThatWorksInItsImage() throws IOException {
        JsonNode services = compose("docker-compose.yml").path("services");
        JsonNode jvm = compose("docker-compose.jvm.yml").path("services");
        for (String service : fieldNames(services)) {
            assertThat(strings(services.path(service).path("healthcheck").path("test")))
                    .as(service + " healthcheck").isNotEmpty();
        }
        for (String service : APP_SERVICES) {
            int port = HTTP_PORTS.get(service);
            // the micro image has no curl: the native probe copied into it by docker/Dockerfile.native
            assertThat(strings(services.path(service).path("healthcheck").path("test"))).as(service)
                    .containsExactly("CMD", "/work/healthcheck", "http://127.0.0.1:" + port + "/q/health/ready");
            // the ubi9 OpenJDK runtime image has curl
            assertThat(strings(jvm.path(service).path("healthcheck").path("test"))).as(service + " (JVM)")
                    .containsExactly("CMD", "curl", "-fs", "http://localhost:" + port + "/q/health/ready");
        }
    }

    @Test
    void servicesStartOnlyOnceRedisIsHealthyAndNeverAsRoot() throws IOException {
        JsonNode services = compose("docker-compose.yml").path("services");
        JsonNode jvm = compose("docker-compose.jvm.yml").path("services");
        for (String service : APP_SERVICES) {
            JsonNode dependsOn = services.path(service).path("depends_on");
            assertThat(fieldNames(dependsOn)).as(service + " depends_on").containsExactly("redis");
            assertThat(dependsOn.path("redis").path("condition").asText()).as(service)
                    .isEqualTo("service_healthy");
            assertThat(services.path(service).path("user").asText()).as(service + " user").isEqualTo("1001");
            assertThat(jvm.path(service).path("user").asText()).as(service + " user (JVM)").isEqualTo("185");
        }
    }

    @Test
    void everyContainerIsStartedAgainWhenItExitsAndAJvmExitsOnOutOfMemory() throws IOException {
        JsonNode services = compose("docker-compose.yml").path("services");
        for (String service : fieldNames(services)) {
            assertThat(services.path(service).path("restart").asText()).as(service + " restart")
                    .isEqualTo("unless-stopped");
        }
        JsonNode jvm = compose("docker-compose.jvm.yml").path("services");
        for (String service : APP_SERVICES) {
            assertThat(jvm.path(service).has("restart")).as(service + " restart in the override").isFalse();
        }
        // an OutOfMemoryError must end the process, so that the restart policy can do its work
        assertThat(lastOf(instructions("docker/Dockerfile.native"), "ENTRYPOINT "))
                .contains("\"-XX:+ExitOnOutOfMemoryError\"");
        String jvmEnv = lastOf(instructions("docker/Dockerfile.jvm"), "ENV ");
        assertThat(jvmEnv).containsPattern("JAVA_OPTS_APPEND=\"[^\"]*-XX:\\+ExitOnOutOfMemoryError[^\"]*\"");
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    /** The compose file as JSON, with YAML anchors, aliases and merge keys ({@code <<: *service}) resolved. */
    private static JsonNode compose(String file) throws IOException {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        try (Reader reader = Files.newBufferedReader(ROOT.resolve(file))) {
            Object document = yaml.load(reader);
            return JSON.valueToTree(document);
        }
    }

    private static Path propertiesFile(String service) {
        return ROOT.resolve(service).resolve("src/main/resources/application.properties");
    }

    private static Properties applicationProperties(String service) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(propertiesFile(service))) {
            properties.load(reader);
        }
        return properties;
    }

    /** The MicroProfile Config environment name of a property: non-alphanumerics become '_', then upper case. */
    private static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** The instructions of a Dockerfile, continuation lines joined, comments and blank lines dropped. */
    private static List<String> instructions(String dockerfile) throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(ROOT.resolve(dockerfile))) {
            String line = raw.strip();
            if (current.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            instructions.add(current.toString().replaceAll("\\s+", " ").strip());
            current.setLength(0);
        }
        return instructions;
    }

    /** The sources of every COPY/ADD from the build context (COPY --from=stage is skipped), in order. */
    private static List<String> copySources(String dockerfile) throws IOException {
        List<String> sources = new ArrayList<>();
        for (String instruction : instructions(dockerfile)) {
            List<String> words = new ArrayList<>(List.of(instruction.split(" ")));
            String keyword = words.remove(0).toUpperCase(Locale.ROOT);
            if (!keyword.equals("COPY") && !keyword.equals("ADD")) {
                continue;
            }
            if (words.stream().anyMatch(w -> w.startsWith("--from="))) {
                continue;
            }
            words.removeIf(w -> w.startsWith("--"));
            assertThat(words).as(dockerfile + ": " + instruction).hasSizeGreaterThanOrEqualTo(2);
            sources.addAll(words.subList(0, words.size() - 1));
        }
        return sources;
    }

    private static String lastOf(List<String> instructions, String prefix) {
        String last = null;
        for (String instruction : instructions) {
            if (instruction.startsWith(prefix)) {
                last = instruction;
            }
        }
        return last;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        node.forEach(value -> values.add(value.asText()));
        return values;
    }
}
