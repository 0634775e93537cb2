package io.livequeue.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One Redis command over a plain socket (RESP2), for test set-ups that must ask a server or a sentinel something
 * ({@code CLUSTER INFO}, {@code SENTINEL GET-MASTER-ADDR-BY-NAME}, {@code ROLE}) without a client library. Replies
 * come back as {@link String} (simple and bulk strings), {@link Long}, {@code List<Object>} or {@code null}; an error
 * reply is thrown as {@link ErrorReply}.
 */
public final class Resp {

    /** An error reply ({@code -ERR ...}, {@code -NOGOODSLAVE ...}). */
    public static final class ErrorReply extends RuntimeException {
        ErrorReply(String message) {
            super(message);
        }
    }

    private Resp() {
    }

    /** Sends {@code args} to the server on loopback {@code port} on a fresh connection and returns the reply. */
    public static Object call(int port, String... args) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                request.writeBytes(bytes);
                request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(request.toByteArray());
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("Redis on port " + port + " did not answer " + String.join(" ", args), e);
        }
    }

    /** Sends every command on one connection, pipelined, and returns their replies in order (errors as ErrorReply). */
    public static List<Object> callAll(int port, List<String[]> commands) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10000);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            for (String[] args : commands) {
                request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                for (String arg : args) {
                    byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                    request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    request.writeBytes(bytes);
                    request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            List<Object> replies = new java.util.ArrayList<>(commands.size());
            for (int i = 0; i < commands.size(); i++) {
                try {
                    replies.add(read(in));
                } catch (ErrorReply e) {
                    replies.add(e);
                }
            }
            return replies;
        } catch (IOException e) {
            throw new UncheckedIOException("Redis on port " + port + " did not answer a pipeline", e);
        }
    }

    /** Like {@link #call}, but a refused connection, a time-out or an error reply give {@code null}. */
    public static Object tryCall(int port, String... args) {
        try {
            return call(port, args);
        } catch (UncheckedIOException | ErrorReply e) {
            return null;
        }
    }

    private static Object read(InputStream in) throws IOException {
        String line = line(in);
        char type = line.charAt(0);
        String rest = line.substring(1);
        switch (type) {
            case '+':
                return rest;
            case '-':
                throw new ErrorReply(rest);
            case ':':
                return Long.parseLong(rest);
            case '$': {
                int length = Integer.parseInt(rest);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                if (bytes.length < length + 2) {
                    throw new EOFException("connection closed in a reply");
                }
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(rest);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("not a RESP2 reply: " + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        for (int b = in.read(); b != -1; b = in.read()) {
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
        throw new EOFException("connection closed before a reply");
    }
}
