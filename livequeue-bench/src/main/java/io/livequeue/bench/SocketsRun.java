package io.livequeue.bench;

import io.livequeue.core.rdb.RedisKeys;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Command;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --mode sockets}: many idle WebSockets on one gateway, then events delivered to them while they stay open.
 * N sockets are opened from several loopback source addresses (a loopback address has ~28k ports, and the gateway's
 * per-address cap counts each address apart), each completes the upgrade, keeps the inbox of its welcome and then
 * only answers the gateway's pings, as an open browser tab does. All of them live in one thread (a NIO selector), so
 * the generator costs one file descriptor per socket and little else; a count above the open-files limit of one
 * process is reached by running several processes side by side ({@code --first-source} keeps their addresses
 * apart, {@code --rate 0 --hold} keeps a process's sockets open without delivering).
 *
 * <p>Delivery: M events at a fixed rate, published straight into the gateway's events channel as the scripts
 * publish them (arrays of envelopes, one message every 5 ms), each addressed by {@code replyTo} to the inbox of one of
 * the open sockets (round robin) as one more version of that socket's own job; latency runs from just before the
 * PUBLISH is sent to the arrival of the frame on its socket. Only Redis and the gateway are needed.
 */
final class SocketsRun {

    /** Upgrades under way at once: the gateway's accept queue never overflows. */
    private static final int UPGRADES_IN_FLIGHT = 200;
    private static final int TICK_MS = 5;
    private static final Pattern INBOX = Pattern.compile("\"inbox\":\"([^\"]+)\"");
    private static final Pattern SEQUENCE = Pattern.compile("\"n\":(\\d+)");

    private final Vertx vertx;
    private final BenchOptions options;
    private final int wanted;
    private final List<String> sources;
    private final List<Peer> peers = new ArrayList<>();
    private final Peer[] welcomedPeers;
    private final AtomicInteger welcomed = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    /** Welcomed sockets that the gateway closed or that broke afterwards. */
    private final AtomicInteger closedAfterWelcome = new AtomicInteger();
    private final AtomicInteger pingsAnswered = new AtomicInteger();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong wrong = new AtomicLong();
    private volatile int refusalStatus;
    private volatile boolean stopped;
    private volatile IOException failure;
    private AtomicLongArray sentNanos;
    private AtomicLongArray receivedNanos;

    /** One socket: the handshake answer read so far, then its inbox, and any frame cut between two reads. */
    private static final class Peer {
        final StringBuilder head = new StringBuilder();
        final int number;
        boolean ended;
        boolean upgraded;
        volatile String inbox;
        byte[] partial;

        Peer(int number) {
            this.number = number;
        }
    }

    SocketsRun(Vertx vertx, BenchOptions options) {
        this.vertx = vertx;
        this.options = options;
        this.wanted = options.sockets();
        this.sources = sources(options.firstSource(), options.sources());
        this.welcomedPeers = new Peer[wanted];
    }

    /** Loopback source addresses 127.0.b.a (a = 2…251), the {@code count} from number {@code first} on. */
    static List<String> sources(int first, int count) {
        List<String> sources = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            sources.add("127.0." + (i / 250) + "." + (2 + i % 250));
        }
        return sources;
    }

    String run() throws Exception {
        long rssBefore = rss(options.gatewayPid());
        Thread loop = new Thread(this::loop, "sockets-bench");
        long start = System.nanoTime();
        loop.start();
        long deadline = start + options.timeout().toNanos();
        while (welcomed.get() + refused.get() + lost.get() < wanted && failure == null
                && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        long openMs = (System.nanoTime() - start) / 1_000_000;
        int open = welcomed.get();
        System.out.printf("[bench] %,d sockets welcomed in %,d ms (%d refused, %d lost)%n", open, openMs,
                refused.get(), lost.get());
        TimeUnit.SECONDS.sleep(2); // let the gateway settle before its memory is read
        long rssOpen = rss(options.gatewayPid());
        int events = options.rate() > 0 ? options.jobs() : 0;
        sentNanos = new AtomicLongArray(Math.max(events, 1));
        receivedNanos = new AtomicLongArray(Math.max(events, 1));
        long deliveryMs = 0;
        int published = 0;
        if (events > 0 && open > 0) {
            Redis redis = Redis.createClient(vertx, DirectRedis.connectOptions(options));
            try {
                // one connection: the messages reach Redis in the order they were made, as each socket's versions grow
                RedisConnection connection = redis.connect().toCompletionStage().toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                long deliveryStart = System.nanoTime();
                published = publish(connection, events, open, deliveryStart + options.timeout().toNanos());
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (received.get() + wrong.get() < published && System.nanoTime() < until) {
                    TimeUnit.MILLISECONDS.sleep(20);
                }
                deliveryMs = (System.nanoTime() - deliveryStart) / 1_000_000;
            } finally {
                redis.close();
            }
        }
        if (!options.hold().isZero()) {
            System.out.printf("[bench] holding the sockets open for %d s%n", options.hold().toSeconds());
            TimeUnit.MILLISECONDS.sleep(options.hold().toMillis());
        }
        long rssEnd = rss(options.gatewayPid());
        int stillOpen = welcomed.get() - closedAfterWelcome.get();
        stopped = true;
        loop.join(10_000);
        return report(openMs, open, stillOpen, published, deliveryMs, rssBefore, rssOpen, rssEnd);
    }

    /** Publishes {@code events} envelopes at the rate, one message per tick; returns how many were sent. */
    private int publish(RedisConnection redis, int events, int open, long deadline) throws InterruptedException {
        String channel = new RedisKeys(options.prefix()).events();
        long[] versions = new long[open];
        long start = System.nanoTime();
        int next = 0;
        AtomicInteger failed = new AtomicInteger();
        while (next < events && System.nanoTime() < deadline) {
            long due = Math.min(events, (System.nanoTime() - start) * options.rate() / 1_000_000_000L);
            while (next < due) {
                int count = (int) Math.min(100, due - next);
                StringBuilder message = new StringBuilder(count * 200).append('[');
                for (int k = 0; k < count; k++) {
                    int n = next + k;
                    int s = n % open;
                    Peer peer = welcomedPeers[s];
                    long v = ++versions[s];
                    String id = "bench-socket-" + peer.number;
                    message.append(k == 0 ? "" : ",").append("{\"v\":").append(v).append(",\"id\":\"").append(id)
                            .append("\",\"status\":\"active\",\"replyTo\":\"").append(peer.inbox)
                            .append("\",\"event\":{\"event\":\"job\",\"id\":\"").append(id)
                            .append("\",\"type\":\"bench\",\"status\":\"active\",\"attempts\":1,\"n\":").append(n)
                            .append(",\"v\":").append(v).append("}}");
                }
                message.append(']');
                long now = System.nanoTime();
                for (int k = 0; k < count; k++) {
                    sentNanos.set(next + k, now);
                }
                redis.send(Request.cmd(Command.PUBLISH).arg(channel).arg(message.toString()))
                        .onFailure(e -> failed.incrementAndGet());
                next += count;
            }
            TimeUnit.MILLISECONDS.sleep(TICK_MS);
        }
        if (failed.get() > 0) {
            System.out.printf("[bench] %d PUBLISH commands failed%n", failed.get());
        }
        return next;
    }

    private void loop() {
        byte[] request = ("GET " + options.gateway().getPath() + " HTTP/1.1\r\nHost: " + options.gateway().getHost()
                + ":" + options.gateway().getPort() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16])
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
        InetSocketAddress target = new InetSocketAddress(options.gateway().getHost(), options.gateway().getPort());
        List<SocketChannel> channels = new ArrayList<>();
        int started = 0;
        int pending = 0;
        try (Selector selector = Selector.open()) {
            while (!stopped) {
                while (started < wanted && pending < UPGRADES_IN_FLIGHT) {
                    SocketChannel channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    channel.bind(new InetSocketAddress(sources.get(started % sources.size()), 0));
                    channel.connect(target);
                    Peer peer = new Peer(options.firstSource() * 1_000_000 + started);
                    peers.add(peer);
                    channel.register(selector, SelectionKey.OP_CONNECT, peer);
                    channels.add(channel);
                    started++;
                    pending++;
                }
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    Peer peer = (Peer) key.attachment();
                    try {
                        if (key.isConnectable()) {
                            channel.finishConnect();
                            channel.write(ByteBuffer.wrap(request));
                            key.interestOps(SelectionKey.OP_READ);
                        } else if (key.isReadable()) {
                            buffer.clear();
                            if (peer.partial != null) {
                                buffer.put(peer.partial);
                                peer.partial = null;
                            }
                            int read = channel.read(buffer);
                            if (read < 0) {
                                pending -= gone(key, peer);
                                continue;
                            }
                            buffer.flip();
                            pending -= received(channel, peer, buffer);
                            if (peer.ended && !peer.upgraded) {
                                key.cancel();
                                channel.close();
                            }
                        }
                    } catch (IOException e) {
                        pending -= gone(key, peer);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            for (SocketChannel channel : channels) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing all of them anyway
                }
            }
        }
    }

    /** @return 1 when this ended the upgrade (answered or refused), else 0 */
    private int received(SocketChannel channel, Peer peer, ByteBuffer bytes) throws IOException {
        long now = System.nanoTime();
        int ended = 0;
        if (!peer.upgraded) {
            while (bytes.hasRemaining()) {
                peer.head.append((char) bytes.get());
                if (peer.head.indexOf("\r\n\r\n") >= 0) {
                    ended = 1;
                    peer.ended = true;
                    if (peer.head.indexOf("HTTP/1.1 101") == 0) {
                        peer.upgraded = true;
                        break;
                    }
                    String[] statusLine = peer.head.substring(0, peer.head.indexOf("\r\n")).split(" ");
                    refusalStatus = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
                    refused.incrementAndGet();
                    return ended;
                }
            }
            if (!peer.upgraded) {
                return ended;
            }
            peer.head.setLength(0);
            peer.head.trimToSize();
        }
        while (bytes.remaining() >= 2) {
            int first = bytes.get(bytes.position()) & 0xff;
            int length = bytes.get(bytes.position() + 1) & 0x7f;
            int header = 2 + (length == 126 ? 2 : length == 127 ? 8 : 0);
            if (bytes.remaining() < header) {
                break;
            }
            long payload = length == 126 ? bytes.getShort(bytes.position() + 2) & 0xffff
                    : length == 127 ? bytes.getLong(bytes.position() + 2) : length;
            if (bytes.remaining() < header + payload) {
                break;
            }
            int opcode = first & 0x0f;
            int at = bytes.position() + header;
            if (opcode == 0x1) {
                String text = new String(bytes.array(), at, (int) payload, StandardCharsets.UTF_8);
                if (peer.inbox == null) {
                    Matcher inbox = INBOX.matcher(text);
                    if (inbox.find()) {
                        peer.inbox = inbox.group(1);
                        welcomedPeers[welcomed.getAndIncrement()] = peer;
                    }
                } else {
                    Matcher sequence = SEQUENCE.matcher(text);
                    if (sequence.find()) {
                        int n = Integer.parseInt(sequence.group(1));
                        if (n < receivedNanos.length() && receivedNanos.compareAndSet(n, 0, now)) {
                            received.incrementAndGet();
                        } else {
                            wrong.incrementAndGet();
                        }
                    }
                }
            } else if (opcode == 0x9) {
                byte[] pong = new byte[6 + (int) payload];
                pong[0] = (byte) 0x8A;
                pong[1] = (byte) (0x80 | payload);
                byte[] mask = new byte[4];
                ThreadLocalRandom.current().nextBytes(mask);
                System.arraycopy(mask, 0, pong, 2, 4);
                for (int i = 0; i < payload; i++) {
                    pong[6 + i] = (byte) (bytes.get(at + i) ^ mask[i % 4]);
                }
                channel.write(ByteBuffer.wrap(pong));
                pingsAnswered.incrementAndGet();
            } else if (opcode == 0x8) {
                throw new IOException("closed by the gateway");
            }
            bytes.position((int) (at + payload));
        }
        if (bytes.hasRemaining()) {
            peer.partial = new byte[bytes.remaining()];
            bytes.get(peer.partial);
        }
        return ended;
    }

    /** @return 1 when the upgrade of this socket was still under way, else 0 */
    private int gone(SelectionKey key, Peer peer) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // closing anyway
        }
        lost.incrementAndGet();
        if (peer.inbox != null) {
            closedAfterWelcome.incrementAndGet();
        }
        if (!peer.ended) {
            peer.ended = true;
            return 1;
        }
        return 0;
    }

    /** The resident set of a process in bytes, -1 when not asked for or not readable. */
    static long rss(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            Matcher rss = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB")
                    .matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            return rss.find() ? Long.parseLong(rss.group(1)) << 10 : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private String report(long openMs, int open, int stillOpen, int published, long deliveryMs, long rssBefore,
            long rssOpen, long rssEnd) throws IOException {
        long[] latencies = new long[published];
        int l = 0;
        for (int i = 0; i < published; i++) {
            long got = receivedNanos.get(i);
            if (got != 0) {
                latencies[l++] = got - sentNanos.get(i);
            }
        }
        ModeReport report = new ModeReport(options.mode().wireName, options.describe())
                .count("sockets", "sockets asked", wanted)
                .count("welcomed", "welcomed", open)
                .count("refused", "refused", refused.get())
                .count("lost", "closed or lost", lost.get())
                .count("openMs", "open in ms", openMs)
                .count("stillOpen", "open at the end", stillOpen)
                .count("published", "events published", published)
                .count("delivered", "delivered", received.get())
                .count("undelivered", "not delivered", published - received.get())
                .count("wrong", "unexpected", wrong.get())
                .number("eventsPerSecond", "events/s", deliveryMs == 0 ? 0 : received.get() * 1000.0 / deliveryMs, 0);
        if (rssOpen > 0) {
            report.count("rssBeforeMB", "gateway RSS before (MB)", rssBefore >> 20)
                    .count("rssOpenMB", "with the sockets (MB)", rssOpen >> 20)
                    .count("rssEndMB", "at the end (MB)", rssEnd >> 20)
                    .number("rssPerSocketKB", "RSS per socket (KB)",
                            open == 0 ? 0 : (rssOpen - rssBefore) / 1024.0 / open, 2);
        }
        if (published > 0) {
            report.timing("delivery", "**delivery**: PUBLISH sent → frame received on its socket",
                    Arrays.copyOf(latencies, l));
        }
        if (refused.get() > 0) {
            report.note(refused.get() + " upgrades were refused (last status " + refusalStatus + ").");
        }
        if (failure != null) {
            report.note("The sockets' loop stopped: " + failure);
        }
        report.note("Sockets from " + sources.size() + " loopback source addresses (" + sources.get(0) + " …), "
                + "one file descriptor each in this process and one in the gateway. RSS per socket = (RSS with the "
                + "sockets open, 2 s after the last welcome − RSS before) / sockets welcomed by this process; with "
                + "several generator processes, read the gateway's RSS yourself.");
        return report.write(options.out());
    }
}
