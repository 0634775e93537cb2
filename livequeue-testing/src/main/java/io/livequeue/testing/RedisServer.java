package io.livequeue.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * A private, throw-away {@code redis-server} for tests: found on the PATH (or at {@code REDIS_SERVER}), started on a
 * free loopback port with no persistence unless asked, and stopped afterwards. Never touches the Redis on 6379.
 * Tests can stop and restart it on the same port to play a Redis outage. {@link #startSecured} starts one as production
 * should run it: ACL users only (anonymous clients refused) and, if asked, TLS only.
 */
public final class RedisServer implements AutoCloseable {

    private static final String INSTALL_HINT =
            "redis-server was not found on the PATH: install it (Debian/Ubuntu: apt-get install -y redis-server) "
                    + "or point REDIS_SERVER at the binary";

    private final int port;
    private final Path dir;
    private final List<String> extraArgs;
    private final List<String> leadingArgs;
    /** Lines of the server's ACL file; null: no ACL file (the default user, no password). */
    private final List<String> aclLines;
    /** The certificates it listens with, TLS only; null: plain TCP. */
    private final TestCertificates tls;
    private Process process;

    private RedisServer(int port, Path dir, List<String> extraArgs) {
        this(port, dir, List.of(), extraArgs, null, null);
    }

    private RedisServer(int port, Path dir, List<String> leadingArgs, List<String> extraArgs, List<String> aclLines,
            TestCertificates tls) {
        this.port = port;
        this.dir = dir;
        this.leadingArgs = List.copyOf(leadingArgs);
        this.extraArgs = extraArgs;
        this.aclLines = aclLines == null ? null : List.copyOf(aclLines);
        this.tls = tls;
    }

    /** Starts a server on a free port; {@code extraArgs} are more {@code --option value} pairs (they win). */
    public static RedisServer start(String... extraArgs) {
        try {
            RedisServer server = new RedisServer(freePort(), Files.createTempDirectory("livequeue-redis-"),
                    Arrays.asList(extraArgs));
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a server that lets in only the users of {@code aclLines}, lines of a Redis ACL file such as
     * {@code user app on >secret ~app:* +get}: the {@code default} user is off unless a line defines it, so a client
     * that does not authenticate gets {@code NOAUTH}. With {@code tls} (null: plain TCP) it listens with TLS only, on
     * {@link #port()}, presenting the server certificate of {@code tls} and asking clients for none.
     */
    public static RedisServer startSecured(List<String> aclLines, TestCertificates tls, String... extraArgs) {
        try {
            RedisServer server = new RedisServer(freePort(), Files.createTempDirectory("livequeue-redis-"), List.of(),
                    Arrays.asList(extraArgs), aclLines, tls);
            List<String> users = new ArrayList<>();
            if (aclLines.stream().noneMatch(line -> line.startsWith("user default "))) {
                users.add("user default off");
            }
            users.addAll(aclLines);
            Files.write(server.dir.resolve("users.acl"), users, StandardCharsets.UTF_8);
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a server on {@code port} with its data in {@code dir} (removed by {@link #close()}); {@code leadingArgs}
     * come right after the binary (a config file and {@code --sentinel}, say), {@code extraArgs} after the defaults.
     * Used by {@link RedisCluster} and {@link RedisSentinelSetup}.
     */
    static RedisServer start(int port, Path dir, List<String> leadingArgs, List<String> extraArgs) {
        RedisServer server = new RedisServer(port, dir, leadingArgs, List.copyOf(extraArgs), null, null);
        server.launch();
        return server;
    }

    public int port() {
        return port;
    }

    /** The server's data directory (its log is {@code redis.log} in it). */
    public Path dir() {
        return dir;
    }

    /** Its address without credentials: {@code redis://127.0.0.1:<port>}, {@code rediss://…} with TLS. */
    public String url() {
        return (tls == null ? "redis" : "rediss") + "://127.0.0.1:" + port;
    }

    /** Its address with the credentials of an ACL user ({@code password} as it goes in a URL: no escaping is done). */
    public String url(String user, String password) {
        return (tls == null ? "redis" : "rediss") + "://" + user + ":" + password + "@127.0.0.1:" + port;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the server (like a crash: SIGKILL), keeping its port and data directory for {@link #restart()}. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(process);
            process = null;
        }
    }

    /** Stops the server cleanly (SIGTERM: it flushes its append-only file), keeping port and data for {@link #restart()}. */
    public void stop() {
        if (process != null) {
            process.destroy();
            waitFor(process);
            process = null;
        }
    }

    public void restart() {
        kill();
        launch();
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(binary()));
        command.addAll(leadingArgs);
        if (tls == null) {
            command.addAll(List.of("--port", Integer.toString(port)));
        } else {
            command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port),
                    "--tls-cert-file", tls.serverCert().toString(), "--tls-key-file", tls.serverKey().toString(),
                    "--tls-ca-cert-file", tls.caCert().toString(), "--tls-auth-clients", "no"));
        }
        if (aclLines != null) {
            command.addAll(List.of("--aclfile", dir.resolve("users.acl").toString()));
        }
        command.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--logfile", dir.resolve("redis.log").toString()));
        command.addAll(extraArgs);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException(INSTALL_HINT, e);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited at start; see " + dir.resolve("redis.log"));
            }
            if (ping()) {
                return;
            }
            try {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within 10 s");
    }

    /** Whether it answers: PONG, or NOAUTH from a server that lets in no anonymous client (which proves it is up). */
    private boolean ping() {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return "+PONG".equals(line) || (line != null && line.startsWith("-NOAUTH"));
        } catch (IOException e) {
            return false;
        }
    }

    private Socket connect() throws IOException {
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
        plain.setSoTimeout(1000);
        if (tls == null) {
            return plain;
        }
        try {
            SSLSocket secure = (SSLSocket) tls.clientContext().getSocketFactory().createSocket(plain, "127.0.0.1",
                    port, true);
            secure.startHandshake();
            return secure;
        } catch (IOException e) {
            plain.close();
            throw e;
        }
    }

    private static String binary() {
        return tool("redis-server", "REDIS_SERVER", INSTALL_HINT);
    }

    /**
     * The path of a Redis tool ({@code redis-server}, {@code redis-cli}): {@code envVar} if set, else the PATH, else
     * the usual install places; fails with {@code hint} when it is nowhere.
     */
    static String tool(String name, String envVar, String hint) {
        String configured = System.getenv(envVar);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        for (String fallback : List.of("/usr/bin/" + name, "/usr/local/bin/" + name)) {
            if (Files.isExecutable(Path.of(fallback))) {
                return fallback;
            }
        }
        throw new IllegalStateException(hint);
    }

    /** A free loopback port (free now: another process may still take it before it is used). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
