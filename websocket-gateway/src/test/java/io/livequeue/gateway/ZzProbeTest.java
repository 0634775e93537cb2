package io.livequeue.gateway;

import io.livequeue.core.rdb.RedisKeys;
import io.livequeue.testing.RedisTestResource;
import io.livequeue.testing.TestSocket;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** temporary probe. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class ZzProbeTest {
    @TestHTTPResource("/") URI root;
    @Inject ReactiveRedisDataSource redis;
    @Inject RedisKeys keys;

    @Test
    void oversize() throws Exception {
        for (int size : new int[] {65_000, 65_600, 70_000, 300_000}) {
            TestSocket s = TestSocket.connect("ws://" + root.getHost() + ":" + root.getPort() + "/ws");
            System.out.println("PROBE welcome " + s.next());
            String huge = "{\"op\":\"" + "x".repeat(size) + "\"}";
            try { s.send(huge); System.out.println("PROBE " + size + " sent"); } catch (Exception e) { System.out.println("PROBE send failed " + e); }
            try { System.out.println("PROBE " + size + " next " + s.next(Duration.ofSeconds(3))); } catch (Throwable e) { System.out.println("PROBE " + size + " next: " + e); }
            System.out.println("PROBE " + size + " open=" + s.isOpen() + " closeDone=" + s.closeCode().isDone() + " code=" + s.closeCode().getNow(null));
            try { s.send("{\"op\":\"dance\"}"); System.out.println("PROBE " + size + " after " + s.next(Duration.ofSeconds(3))); } catch (Throwable e) { System.out.println("PROBE " + size + " after: " + e); }
            System.out.println("PROBE " + size + " open=" + s.isOpen() + " code=" + s.closeCode().getNow(null));
            s.close();
        }
    }

    @Test
    void singleFrame() throws Exception {
        for (int size : new int[] {70_000, 65_536, 65_537}) {
        try (java.net.Socket sock = new java.net.Socket(root.getHost(), root.getPort())) {
            sock.setSoTimeout(5000);
            var out = sock.getOutputStream();
            var in = new java.io.DataInputStream(sock.getInputStream());
            out.write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes());
            StringBuilder hdr = new StringBuilder();
            while (!hdr.toString().endsWith("\r\n\r\n")) hdr.append((char) in.read());
            System.out.println("PROBE raw handshake " + hdr.toString().split("\r\n")[0]);
            System.out.println("PROBE raw first " + readFrame(in));
            byte[] payload = ("{\"op\":\"" + "x".repeat(size - 10) + "\"}").getBytes();
            System.out.println("PROBE raw payload " + payload.length);
            writeFrame(out, 0x1, payload);
            try { System.out.println("PROBE raw after big " + readFrame(in)); } catch (Exception e) { System.out.println("PROBE raw after big: " + e); }
            try { writeFrame(out, 0x1, "{\"op\":\"dance\"}".getBytes()); System.out.println("PROBE raw after dance " + readFrame(in)); } catch (Exception e) { System.out.println("PROBE raw after dance: " + e); }
        }
        }
    }

    @Test
    void fragmented() throws Exception {
        try (java.net.Socket sock = new java.net.Socket(root.getHost(), root.getPort())) {
            sock.setSoTimeout(5000);
            var out = sock.getOutputStream();
            var in = new java.io.DataInputStream(sock.getInputStream());
            out.write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes());
            StringBuilder hdr = new StringBuilder();
            while (!hdr.toString().endsWith("\r\n\r\n")) hdr.append((char) in.read());
            System.out.println("PROBE frag first " + readFrame(in));
            writeFrame(out, 0x1, ("{\"op\":\"" + "x".repeat(40000)).getBytes(), false);
            writeFrame(out, 0x0, ("y".repeat(30000) + "\"}").getBytes(), true);
            try { writeFrame(out, 0x1, "{\"op\":\"dance\"}".getBytes()); System.out.println("PROBE frag after dance " + readFrame(in)); } catch (Exception e) { System.out.println("PROBE frag after dance: " + e); }
        }
    }

    static void writeFrame(java.io.OutputStream out, int opcode, byte[] payload) throws Exception {
        writeFrame(out, opcode, payload, true);
    }

    static void writeFrame(java.io.OutputStream out, int opcode, byte[] payload, boolean fin) throws Exception {
        var b = new java.io.ByteArrayOutputStream();
        b.write((fin ? 0x80 : 0) | opcode);
        int n = payload.length;
        if (n < 126) b.write(0x80 | n);
        else if (n < 65536) { b.write(0x80 | 126); b.write(n >> 8); b.write(n & 0xff); }
        else { b.write(0x80 | 127); for (int i = 7; i >= 0; i--) b.write((int) (((long) n) >> (8 * i)) & 0xff); }
        byte[] mask = {1, 2, 3, 4};
        b.write(mask);
        for (int i = 0; i < n; i++) b.write(payload[i] ^ mask[i % 4]);
        out.write(b.toByteArray());
        out.flush();
    }

    static String readFrame(java.io.DataInputStream in) throws Exception {
        int b0 = in.read();
        if (b0 < 0) return "EOF";
        int b1 = in.read();
        long n = b1 & 0x7f;
        if (n == 126) n = in.readUnsignedShort(); else if (n == 127) n = in.readLong();
        byte[] p = new byte[(int) n];
        in.readFully(p);
        int op = b0 & 0x0f;
        if (op == 8) return "CLOSE " + (n >= 2 ? (((p[0] & 0xff) << 8) | (p[1] & 0xff)) : -1) + " " + new String(p, 2, Math.max(0, (int) n - 2));
        return "op" + op + " " + new String(p);
    }

    @Test
    void multiOnRedisKill() throws Exception {
        var done = new java.util.concurrent.CompletableFuture<String>();
        redis.pubsub(String.class).subscribe("probe-channel")
            .onSubscription().invoke(() -> System.out.println("PROBE multi subscribed"))
            .subscribe().with(m -> System.out.println("PROBE item " + m), f -> done.complete("FAILED " + f), () -> done.complete("COMPLETED"));
        redis.pubsub(String.class).publish("probe-channel", "hello").await().atMost(Duration.ofSeconds(5));
        RedisTestResource.current().kill();
        String result;
        try { result = done.get(10, java.util.concurrent.TimeUnit.SECONDS); } catch (java.util.concurrent.TimeoutException e) { result = "NOTHING within 10 s"; }
        System.out.println("PROBE multi after kill: " + result);
        RedisTestResource.current().restart();
    }
}
