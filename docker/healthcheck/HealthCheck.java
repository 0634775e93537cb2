import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A container health check for images without curl or wget (quay.io/quarkus/ubi9-quarkus-micro-image).
 * docker/Dockerfile.native compiles it with native-image in the Mandrel builder stage, so it needs nothing
 * beyond glibc, which the micro image provides for the service's own native executable anyway.
 *
 * <pre>healthcheck [http://127.0.0.1:8080/q/health/ready]</pre>
 * Without an argument it uses $HEALTHCHECK_URL. Sends one HTTP GET (plain http only) and exits 0 on a 2xx status,
 * 1 otherwise (connection refused, timeout, 503 while not ready, ...).
 */
public final class HealthCheck {

    private static final int TIMEOUT_MILLIS = 2000;

    public static void main(String[] args) {
        String url = args.length > 0 ? args[0] : System.getenv("HEALTHCHECK_URL");
        if (url == null || url.isBlank()) {
            System.err.println("usage: healthcheck http://host:port/path (or set HEALTHCHECK_URL)");
            System.exit(2);
        }
        try {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                System.err.println("only http://host[:port]/path URLs are supported: " + url);
                System.exit(2);
            }
            int port = uri.getPort() == -1 ? 80 : uri.getPort();
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                path = path + "?" + uri.getRawQuery();
            }
            String status = statusLine(uri.getHost(), port, path);
            String[] parts = status.split(" ", 3);
            if (parts.length >= 2 && parts[0].startsWith("HTTP/") && parts[1].startsWith("2")) {
                System.exit(0);
            }
            System.err.println(url + ": " + status);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println(url + ": " + e);
        }
        System.exit(1);
    }

    private static String statusLine(String host, int port, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            String request = "GET " + path + " HTTP/1.1\r\n"
                    + "Host: " + host + ":" + port + "\r\n"
                    + "Accept: application/json\r\n"
                    + "Connection: close\r\n\r\n";
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n' && line.length() < 256) {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }
}
