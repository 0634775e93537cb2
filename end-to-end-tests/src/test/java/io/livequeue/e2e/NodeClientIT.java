package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * livequeue.js under Node against the real stack (src/test/node/livequeue-node.mjs): connect, submit, watch, a
 * problem+json error, and close, after which nothing may keep the process alive. Needs Node 22+ (global WebSocket), or
 * 20.10+ with --experimental-websocket; skipped without one (Debian 12's own nodejs is 18).
 */
@ExtendWith(LiveStack.class)
class NodeClientIT {

    private static final Path ROOT = Path.of(System.getProperty("livequeue.root", "..")).toAbsolutePath().normalize();
    private final LiveStack stack = LiveStack.get();

    @Test
    void moduleRunsUnderNode() throws Exception {
        int[] version = nodeVersion();
        Assumptions.assumeTrue(version != null && (version[0] > 20 || version[0] == 20 && version[1] >= 10),
                "livequeue.js under Node needs node 22+ (or 20.10+) on the PATH");
        List<String> command = new ArrayList<>(List.of("node"));
        if (version[0] < 22) {
            command.add("--experimental-websocket");
        }
        command.addAll(List.of(ROOT.resolve("end-to-end-tests/src/test/node/livequeue-node.mjs").toString(),
                ROOT.resolve("websocket-gateway/src/main/resources/META-INF/resources/livequeue.js").toString(),
                stack.gateway(), stack.producer()));
        Process node = new ProcessBuilder(command).redirectErrorStream(true).start();
        node.getOutputStream().close();

        // the script stops itself after 30 s; exiting at all proves close() left no timer or socket behind
        boolean exited = node.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            node.destroyForcibly();
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exited).as("node exited by itself:\n" + output).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).contains("ok connected", "ok job", "ok problem+json error", "ok closed");
    }

    static int[] nodeVersion() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("v(\\d+)\\.(\\d+)").matcher(out);
            return m.find() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : null;
        } catch (IOException e) {
            return null; // no node on the PATH
        }
    }
}
