package io.github.reactivekoyeb.snapshots.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * A private CA made in the test with the JDK's own {@code keytool}, and a server certificate for
 * 127.0.0.1 that it signed: what a company's CA or a TLS-inspecting proxy looks like to a client.
 */
public final class TestCa {

    private static final String PASSWORD = "changeit";

    private final Path dir;

    private TestCa(Path dir) {
        this.dir = dir;
    }

    /** Makes the CA and the server certificate; blocking, for test set-up threads (a few keytool runs). */
    public static TestCa generate() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("koyeb-ca");
        TestCa ca = new TestCa(dir);
        ca.keytool(null, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=Koyeb client test CA", "-ext", "bc:c", "-keystore", "ca.p12");
        ca.keytool("ca.pem", "-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12");
        ca.keytool(null, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity",
                "2", "-dname", "CN=localhost", "-keystore", "server.p12");
        ca.keytool("server.csr", "-certreq", "-alias", "server", "-keystore", "server.p12");
        ca.keytool("server.pem", "-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-infile", "server.csr",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2");
        ca.keytool(null, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "server.p12");
        ca.keytool(null, "-importcert", "-alias", "server", "-file", "server.pem", "-keystore", "server.p12");
        return ca;
    }

    /** The CA certificate, PEM. */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** The server side: its key and the certificate the CA signed. */
    public KeyManagerFactory serverKeys() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, PASSWORD.toCharArray());
        return factory;
    }

    private void keytool(String output, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        if (args[0].equals("-genkeypair")) {
            command.addAll(List.of("-keypass", PASSWORD));
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        if (output != null) {
            builder.redirectOutput(dir.resolve(output).toFile());
        } else {
            builder.redirectErrorStream(true);
        }
        Process process = builder.start();
        String log = new String(process.getErrorStream().readAllBytes());
        if (output == null) {
            log = new String(process.getInputStream().readAllBytes());
        }
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + log);
        }
    }
}
