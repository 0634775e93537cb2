package io.livequeue.gateway;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A bare RFC 6455 client over a plain {@link Socket}, for what a real client will not do: never read, never answer a
 * ping, ask for an upgrade and only look at the HTTP status, or connect and disconnect thousands of times cheaply.
 * Frames are reported as text: {@code "text …"}, {@code "close <code>"}, {@code "ping"}, {@code "pong"},
 * {@code "opcode <n>"}, or {@link #EOF} once the server hung up.
 */
final class RawWebSocket implements AutoCloseable {

    static final int TEXT = 0x1;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    static final String EOF = "EOF";

    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int status;

    private RawWebSocket(Socket socket, int status, DataInputStream in) throws IOException {
        this.socket = socket;
        this.status = status;
        this.in = in;
        this.out = socket.getOutputStream();
    }

    /** Connects and completes the handshake; fails unless the server answered 101. */
    static RawWebSocket open(URI root, String path) throws IOException {
        return open(root, path, null, 0);
    }

    /**
     * Connects with an optional Origin header and, when {@code receiveBuffer > 0}, that receive buffer (set before
     * connecting, so the TCP window is small from the start); fails unless the server answered 101.
     */
    static RawWebSocket open(URI root, String path, String origin, int receiveBuffer) throws IOException {
        return accepted(attempt(root, path, origin, receiveBuffer, null, ""), path);
    }

    /**
     * Connects from the loopback address {@code from} (127.0.0.2, say: a client of its own for the per-address cap),
     * with {@code headers} ("Name: value\r\n" lines, or "") added to the upgrade request; fails unless it answers 101.
     */
    static RawWebSocket openFrom(URI root, String path, String from, String headers) throws IOException {
        return accepted(attempt(root, path, null, 0, from, headers), path);
    }

    /** The HTTP status of an upgrade from {@code from} with {@code headers}, the socket closed at once. */
    static int upgradeStatusFrom(URI root, String path, String from, String headers) throws IOException {
        try (RawWebSocket raw = attempt(root, path, null, 0, from, headers)) {
            return raw.status;
        }
    }

    private static RawWebSocket accepted(RawWebSocket raw, String path) throws IOException {
        if (raw.status != 101) {
            raw.close();
            throw new IOException("upgrade of " + path + " refused with HTTP " + raw.status);
        }
        return raw;
    }

    /** The HTTP status the server answers an upgrade request with (101 when it accepts), the socket closed at once. */
    static int upgradeStatus(URI root, String path, String origin) throws IOException {
        try (RawWebSocket raw = attempt(root, path, origin, 0, null, "")) {
            return raw.status;
        }
    }

    private static RawWebSocket attempt(URI root, String path, String origin, int receiveBuffer, String from,
            String headers) throws IOException {
        Socket socket = new Socket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            if (from != null) {
                socket.bind(new InetSocketAddress(from, 0));
            }
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(root.getHost(), root.getPort()), CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(10_000);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + root.getHost() + ":" + root.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n"
                    + (origin == null ? "" : "Origin: " + origin + "\r\n") + headers + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // small buffer: what the handshake reads ahead stays small, a client that "never reads" hardly reads
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 512));
            StringBuilder head = new StringBuilder();
            while (head.length() < 4 || head.lastIndexOf("\r\n\r\n") != head.length() - 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed during the handshake: " + head);
                }
                head.append((char) b);
            }
            String[] statusLine = head.substring(0, head.indexOf("\r\n")).split(" ");
            return new RawWebSocket(socket, Integer.parseInt(statusLine[1]), in);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    void soTimeout(int millis) throws SocketException {
        socket.setSoTimeout(millis);
    }

    void sendText(String text) throws IOException {
        writeFrame(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Starts the closing handshake with this status code. */
    void sendClose(int code) throws IOException {
        writeFrame(CLOSE, new byte[] {(byte) (code >>> 8), (byte) code});
    }

    /** Writes text frames in one write, so that they reach the server together. */
    void sendTexts(java.util.List<String> texts) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (String text : texts) {
            all.write(frame(TEXT, text.getBytes(StandardCharsets.UTF_8)));
        }
        out.write(all.toByteArray());
        out.flush();
    }

    /** Writes one final, masked frame (clients must mask). */
    void writeFrame(int opcode, byte[] payload) throws IOException {
        out.write(frame(opcode, payload));
        out.flush();
    }

    private static byte[] frame(int opcode, byte[] payload) {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        int lengthBytes = payload.length < 126 ? 0 : payload.length <= 0xFFFF ? 2 : 8;
        byte[] frame = new byte[2 + lengthBytes + mask.length + payload.length];
        int n = 0;
        frame[n++] = (byte) (0x80 | opcode);
        if (lengthBytes == 0) {
            frame[n++] = (byte) (0x80 | payload.length);
        } else if (lengthBytes == 2) {
            frame[n++] = (byte) (0x80 | 126);
            frame[n++] = (byte) (payload.length >>> 8);
            frame[n++] = (byte) payload.length;
        } else {
            frame[n++] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame[n++] = (byte) ((long) payload.length >>> shift);
            }
        }
        for (byte m : mask) {
            frame[n++] = m;
        }
        for (int i = 0; i < payload.length; i++) {
            frame[n++] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    /** The next frame (see the class comment); a ping is reported and not answered. */
    String readFrame() throws IOException {
        int first;
        try {
            first = in.read();
        } catch (SocketException e) {
            return EOF; // reset by the server
        }
        if (first < 0) {
            return EOF;
        }
        try {
            long length = in.readUnsignedByte() & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            int opcode = first & 0x0f;
            return switch (opcode) {
                case TEXT -> "text " + new String(payload, StandardCharsets.UTF_8);
                case CLOSE -> "close " + (payload.length >= 2 ? ((payload[0] & 0xff) << 8 | (payload[1] & 0xff)) : -1);
                case PING -> "ping";
                case PONG -> "pong";
                default -> "opcode " + opcode;
            };
        } catch (EOFException e) {
            return EOF;
        }
    }

    /** Reads frames until one that is not a ping; the pings are ignored, never answered. */
    String readIgnoringPings() throws IOException {
        String frame;
        do {
            frame = readFrame();
        } while (frame.equals("ping"));
        return frame;
    }

    /** Hangs up without a close frame and with a TCP reset: a client that vanished. */
    void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
