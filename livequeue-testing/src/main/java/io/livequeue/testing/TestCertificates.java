package io.livequeue.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority and a server certificate it signed, made with the {@code openssl} command (in
 * Debian's {@code openssl} package) for tests of Redis over TLS: {@link RedisServer#startSecured} presents the server
 * certificate, the clients under test trust {@link #caCert()}. Nothing here is a secret worth keeping: the keys live in
 * a test directory and the certificates expire after two days.
 */
public final class TestCertificates {

    private static final String INSTALL_HINT = "openssl was not found on the PATH: install it (Debian/Ubuntu: "
            + "apt-get install -y openssl) or point OPENSSL at the binary";
    private static final Pattern IP = Pattern.compile("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:]*");

    private final Path dir;
    private final List<String> names;

    private TestCertificates(Path dir, List<String> names) {
        this.dir = dir;
        this.names = List.copyOf(names);
    }

    /** A CA and a server certificate for 127.0.0.1 and localhost, in {@code dir} (created if missing). */
    public static TestCertificates create(Path dir) {
        return create(dir, "127.0.0.1", "localhost");
    }

    /** A CA and a server certificate for {@code names} (host names or IP addresses), in {@code dir}. */
    public static TestCertificates create(Path dir, String... names) {
        TestCertificates certificates = new TestCertificates(dir, List.of(names));
        certificates.generate();
        return certificates;
    }

    /** The CA's certificate (PEM): what a client trusts. */
    public Path caCert() {
        return dir.resolve("ca.crt");
    }

    /** The server's certificate (PEM), signed by the CA. */
    public Path serverCert() {
        return dir.resolve("server.crt");
    }

    /** The server's private key (PEM, unencrypted). */
    public Path serverKey() {
        return dir.resolve("server.key");
    }

    /** The names the server certificate is valid for. */
    public List<String> names() {
        return names;
    }

    /** A TLS context that trusts the CA and nothing else. */
    public SSLContext clientContext() {
        try (InputStream in = Files.newInputStream(caCert())) {
            Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("livequeue-test-ca", ca);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void generate() {
        try {
            Files.createDirectories(dir);
            List<String> altNames = new ArrayList<>();
            names.forEach(name -> altNames.add((IP.matcher(name).matches() ? "IP:" : "DNS:") + name));
            Files.writeString(dir.resolve("server.ext"), "subjectAltName=" + String.join(",", altNames) + "\n"
                    + "basicConstraints=CA:FALSE\n"
                    + "keyUsage=critical,digitalSignature\n"
                    + "extendedKeyUsage=serverAuth\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // EC keys: generated in milliseconds, where RSA keys take a noticeable part of a second each
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=livequeue test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=" + names.get(0));
        byte[] serial = new byte[8];
        new SecureRandom().nextBytes(serial);
        serial[0] &= 0x7f;
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-set_serial", "0x" + HexFormat.of().formatHex(serial), "-days", "2", "-extfile", "server.ext",
                "-out", "server.crt");
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of(RedisServer.tool("openssl", "OPENSSL", INSTALL_HINT)));
        command.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl " + args[0] + " did not finish within 30 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: "
                        + Files.readString(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException(INSTALL_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
