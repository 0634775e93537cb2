package io.livequeue.e2e;

import io.livequeue.testing.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records which consumer claimed which job, from Redis itself: a {@code MONITOR} connection sees every command the
 * claim script runs, including the {@code HSET <job> ... consumer <id>} that marks a job active for a consumer.
 */
final class ClaimRecorder implements AutoCloseable {

    /** e.g. {@code +1764100000.1 [0 lua] "HSET" "lq:{jobs}:job:<id>" "status" "active" ... "consumer" "vm-42"}. */
    private static final Pattern CLAIM = Pattern.compile(
            "\\[\\d+ lua] \"HSET\" \"[^\"]*:job:([^\"]+)\" \"status\" \"active\" .*\"consumer\" \"([^\"]+)\"");

    private final Socket socket;
    private final Map<String, List<String>> claimsByJob = new ConcurrentHashMap<>();
    private final Thread reader;

    private ClaimRecorder(Socket socket, BufferedReader in) {
        this.socket = socket;
        this.reader = new Thread(() -> read(in), "claim-recorder");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts recording; returns once Redis confirmed the {@code MONITOR}, so no later claim is missed. */
    static ClaimRecorder start(RedisServer redis) {
        try {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), redis.port());
            socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            socket.setSoTimeout(5000);
            String ok = in.readLine();
            if (!"+OK".equals(ok)) {
                socket.close();
                throw new IllegalStateException("MONITOR was refused: " + ok);
            }
            socket.setSoTimeout(0);
            return new ClaimRecorder(socket, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every claim seen so far: job id to the consumers that claimed it, in order (one entry per attempt). */
    Map<String, List<String>> claimsByJob() {
        return Map.copyOf(claimsByJob);
    }

    private void read(BufferedReader in) {
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Matcher claim = CLAIM.matcher(line);
                if (claim.find()) {
                    claimsByJob.computeIfAbsent(claim.group(1), id -> new CopyOnWriteArrayList<>()).add(claim.group(2));
                }
            }
        } catch (IOException e) {
            // the socket was closed: recording is over
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
            reader.join(5000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
