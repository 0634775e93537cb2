package io.livequeue.producer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request bodies as attackers send them: made up on the fly (a 100 MB body costs the test nothing), and sent in chunks
 * over a raw socket, without a Content-Length, while the answer is read at the same time (a server may answer and
 * close before the body is all sent).
 */
final class Bodies {

    private Bodies() {
    }

    /** {@code head}, then {@code filler} {@code times} times (joined by {@code separator}), then {@code tail}. */
    static Synthetic synthetic(String head, String filler, String separator, long times, String tail) {
        return new Synthetic(head, filler, separator, times, tail);
    }

    /** A made-up body; {@link #read()} counts what was taken of it. */
    static final class Synthetic extends InputStream {
        private final byte[] head;
        private final byte[] filler;
        private final byte[] separator;
        private final long times;
        private final byte[] tail;
        private final long length;
        private long position;
        private final AtomicLong taken = new AtomicLong();

        private Synthetic(String head, String filler, String separator, long times, String tail) {
            this.head = head.getBytes(StandardCharsets.UTF_8);
            this.filler = filler.getBytes(StandardCharsets.UTF_8);
            this.separator = separator.getBytes(StandardCharsets.UTF_8);
            this.times = times;
            this.tail = tail.getBytes(StandardCharsets.UTF_8);
            long unit = this.filler.length + this.separator.length;
            this.length = this.head.length + Math.max(0, times * unit - this.separator.length) + this.tail.length;
        }

        long length() {
            return length;
        }

        /** Bytes read from it so far. */
        long taken() {
            return taken.get();
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= length) {
                return -1;
            }
            int n = 0;
            while (n < len && position < length) {
                b[off + n++] = at(position++);
            }
            taken.addAndGet(n);
            return n;
        }

        private byte at(long i) {
            if (i < head.length) {
                return head[(int) i];
            }
            long inTail = i - (length - tail.length);
            if (inTail >= 0) {
                return tail[(int) inTail];
            }
            long k = i - head.length;
            long unit = filler.length + separator.length;
            int inUnit = (int) (k % unit);
            return inUnit < filler.length ? filler[inUnit] : separator[inUnit - filler.length];
        }

        String asString() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) length);
            transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * What the server answered; {@code closed}: it said {@code Connection: close} and did close the connection;
     * {@code sent}: bytes of the body sent (all of it, unless the connection closed first).
     */
    record Answer(int status, Map<String, String> headers, String body, long sent, boolean closed) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** POSTs {@code body} to {@code path} in chunks of 64 KiB, with no Content-Length. */
    static Answer postChunked(int port, String path, InputStream body) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                byte[] chunk = new byte[64 * 1024];
                try {
                    for (int n = body.read(chunk); n > 0; n = body.read(chunk)) {
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk, 0, n);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        sent.addAndGet(n);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // the server answered and closed the connection before the body was all sent
                }
            });
            InputStream in = socket.getInputStream();
            String statusLine = line(in);
            Map<String, String> headers = new TreeMap<>();
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] content = in.readNBytes(length);
            boolean closed = false;
            if ("close".equalsIgnoreCase(headers.get("connection"))) { // then it must really close it
                try {
                    closed = in.read() < 0;
                } catch (SocketTimeoutException e) {
                    closed = false;
                } catch (IOException e) {
                    closed = true; // reset: it closed with some of the body unread
                }
            }
            sending.join(); // all sent, or stopped by the closed connection
            return new Answer(Integer.parseInt(statusLine.split(" ")[1]), headers,
                    new String(content, StandardCharsets.UTF_8), sent.get(), closed);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed after: " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
