package io.livequeue.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What ./run.sh starts a service with, asked of run.sh itself: its {@code java_opts} function is cut out of the script
 * and called by bash, so tests start jars exactly as run.sh would, and notice when run.sh changes.
 */
final class RunScript {

    static final Path ROOT = Path.of(System.getProperty("livequeue.root", "..")).toAbsolutePath().normalize();
    /** run.sh's environment for the JVMs it starts (two malloc arenas). */
    static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    private RunScript() {
    }

    /** The JVM options run.sh gives {@code service} (websocket-gateway, producer-service, consumer-service). */
    static List<String> javaOptions(String service) {
        return javaOptions(service, Map.of());
    }

    /** As above, with {@code environment} (LIVEQUEUE_JAVA_OPTS, say) set for run.sh. */
    static List<String> javaOptions(String service, Map<String, String> environment) {
        String script = "eval \"$(sed -n '/^java_opts() {/,/^}/p' run.sh)\" && java_opts \"$1\"";
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script, "run.sh", service).directory(ROOT.toFile())
                .redirectErrorStream(true);
        builder.environment().remove("LIVEQUEUE_JAVA_OPTS");
        builder.environment().putAll(environment);
        try {
            Process bash = builder.start();
            String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!bash.waitFor(10, TimeUnit.SECONDS) || bash.exitValue() != 0 || out.isEmpty()) {
                throw new IllegalStateException("run.sh's java_opts " + service + " failed: " + out);
            }
            return Arrays.asList(out.split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The heap in bytes an -Xmx option among {@code options} gives (the last one wins, as for the JVM). */
    static long maxHeap(List<String> options) {
        long heap = -1;
        for (String option : options) {
            if (option.startsWith("-Xmx")) {
                String size = option.substring(4).toLowerCase();
                long unit = switch (size.charAt(size.length() - 1)) {
                    case 'k' -> 1L << 10;
                    case 'm' -> 1L << 20;
                    case 'g' -> 1L << 30;
                    default -> 1L;
                };
                heap = Long.parseLong(unit == 1 ? size : size.substring(0, size.length() - 1)) * unit;
            }
        }
        return heap;
    }
}
