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

    /** Where a CA made by a run is kept for the next ones (the lines of one CI run share it): a day at most. */
    private static final Path CACHE = Path.of("target", "test-ca");

    /**
     * The CA and the server certificate: the ones made less than a day ago by a run in this
     * directory (they are valid two days), else new ones; blocking, for test set-up threads (seven
     * keytool runs, 4 to 5 s, when it makes them).
     */
    public static TestCa generate() throws IOException, InterruptedException {
        if (Files.exists(CACHE.resolve("server.p12")) && Files.getLastModifiedTime(CACHE.resolve("server.p12"))
                .toInstant().isAfter(java.time.Instant.now().minus(java.time.Duration.ofDays(1)))) {
            return new TestCa(CACHE);
        }
        TestCa made = make(Files.createTempDirectory("koyeb-ca"));
        Files.createDirectories(CACHE.getParent());
        Path staged = Files.createTempDirectory(CACHE.getParent(), "test-ca");
        for (String file : List.of("ca.pem", "server.p12")) {
            Files.copy(made.dir.resolve(file), staged.resolve(file));
        }
        try {
            if (Files.exists(CACHE)) {
                try (var old = Files.list(CACHE)) {
                    for (Path file : old.toList()) {
                        Files.delete(file);
                    }
                }
                Files.delete(CACHE);
            }
            Files.move(staged, CACHE, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            // another run put one there meanwhile: this run uses its own
        }
        return made;
    }

    private static TestCa make(Path dir) throws IOException, InterruptedException {
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
