package io.livequeue.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thousands of idle WebSocket clients in one thread (a NIO selector): each connects from one of several loopback
 * source addresses (a loopback address has ~28k ports, and the per-address cap counts each address apart), completes
 * the upgrade, reads the welcome, then only answers the server's pings, as a browser tab left open does. At most
 * {@link #IN_FLIGHT} upgrades are under way at once, so the server's accept queue never overflows.
 */
final class IdleSockets implements AutoCloseable {

    private static final int IN_FLIGHT = 200;

    private final String host;
    private final int port;
    private final String path;
    private final List<String> sources;
    private final int wanted;
    private final Selector selector;
    private final Thread loop;
    private final List<SocketChannel> channels = new ArrayList<>();
    private final AtomicInteger welcomed = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    private volatile boolean stopped;
    private volatile IOException failure;
    private volatile int refusalStatus;

    /** State of one connection: the bytes of the handshake answer read so far, then whether the welcome came. */
    private static final class Peer {
        final StringBuilder head = new StringBuilder();
        /** the server answered the upgrade, or the socket went before it did */
        boolean ended;
        boolean upgraded;
        boolean welcome;
    }

    private IdleSockets(String host, int port, String path, List<String> sources, int wanted) throws IOException {
        this.host = host;
        this.port = port;
        this.path = path;
        this.sources = List.copyOf(sources);
        this.wanted = wanted;
        this.selector = Selector.open();
        this.loop = new Thread(this::run, "idle-sockets");
        this.loop.setDaemon(true);
    }

    /** Starts opening {@code count} sockets to {@code ws://host:port/path}, spread over {@code sources}. */
    static IdleSockets open(String host, int port, String path, List<String> sources, int count) {
        try {
            IdleSockets sockets = new IdleSockets(host, port, path, sources, count);
            sockets.loop.start();
            return sockets;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 127.0.0.2, 127.0.0.3, …: {@code count} loopback source addresses. */
    static List<String> loopbackSources(int count) {
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sources.add("127.0.0." + (2 + i));
        }
        return sources;
    }

    /** Sockets that got their welcome and are still open. */
    int welcomed() {
        return welcomed.get();
    }

    /** Upgrades answered with anything but 101. */
    int refused() {
        return refused.get();
    }

    /** Sockets closed or reset by the server (or that failed to connect) after they were started. */
    int lost() {
        return lost.get();
    }

    /** The HTTP status of the last refused upgrade (0: none refused). */
    int refusalStatus() {
        return refusalStatus;
    }

    /** The error that stopped the selector loop, if any. */
    IOException failure() {
        return failure;
    }

    private void run() {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16])
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        int started = 0;
        int pending = 0;
        try {
            while (!stopped) {
                while (started < wanted && pending < IN_FLIGHT) {
                    SocketChannel channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    channel.bind(new InetSocketAddress(sources.get(started % sources.size()), 0));
                    channel.connect(new InetSocketAddress(host, port));
                    channel.register(selector, SelectionKey.OP_CONNECT, new Peer());
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
        }
    }

    /** @return 1 when this ended the upgrade (answered or refused), else 0 */
    private int received(SocketChannel channel, Peer peer, ByteBuffer bytes) throws IOException {
        int ended = 0;
        if (!peer.upgraded) {
            while (bytes.hasRemaining()) {
                peer.head.append((char) bytes.get());
                int end = peer.head.indexOf("\r\n\r\n");
                if (end >= 0) {
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
        }
        // frames: the welcome (text), pings (answered with a masked pong carrying the same payload)
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
                break; // idle sockets get nothing this large; the rest comes with the next read
            }
            int opcode = first & 0x0f;
            if (opcode == 0x1 && !peer.welcome) {
                peer.welcome = true;
                welcomed.incrementAndGet();
            } else if (opcode == 0x9) {
                byte[] pong = new byte[6 + (int) payload];
                pong[0] = (byte) 0x8A;
                pong[1] = (byte) (0x80 | payload);
                byte[] mask = new byte[4];
                ThreadLocalRandom.current().nextBytes(mask);
                System.arraycopy(mask, 0, pong, 2, 4);
                for (int i = 0; i < payload; i++) {
                    pong[6 + i] = (byte) (bytes.get(bytes.position() + header + i) ^ mask[i % 4]);
                }
                channel.write(ByteBuffer.wrap(pong));
            } else if (opcode == 0x8) {
                lostWelcome(peer);
                peer.welcome = false;
            }
            bytes.position((int) (bytes.position() + header + payload));
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
        lostWelcome(peer);
        lost.incrementAndGet();
        if (!peer.ended) {
            peer.ended = true;
            return 1;
        }
        return 0;
    }

    private void lostWelcome(Peer peer) {
        if (peer.welcome) {
            peer.welcome = false;
            welcomed.decrementAndGet();
        }
    }

    @Override
    public void close() {
        stopped = true;
        selector.wakeup();
        try {
            loop.join(10_000);
            for (SocketChannel channel : channels) {
                channel.close();
            }
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
