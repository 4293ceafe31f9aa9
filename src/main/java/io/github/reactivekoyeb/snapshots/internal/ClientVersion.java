package io.github.reactivekoyeb.snapshots.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The library's version, read once from a resource that Maven fills in at build time. */
final class ClientVersion {

    static final String VERSION = load();

    /** Sent as {@code User-Agent}: names the library, its version and the Java version. */
    static final String USER_AGENT = "koyeb-snapshots-reactive/" + VERSION + " (Java "
            + System.getProperty("java.version", "unknown") + ")";

    private ClientVersion() {
    }

    private static String load() {
        try (InputStream in = ClientVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "unknown");
            return version.startsWith("${") ? "unknown" : version;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
