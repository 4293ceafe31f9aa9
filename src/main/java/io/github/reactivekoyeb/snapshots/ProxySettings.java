package io.github.reactivekoyeb.snapshots;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP(S) proxy that the client's connections go through (a corporate egress proxy), or the
 * JVM's standard proxy system properties ({@code https.proxyHost}, {@code http.nonProxyHosts}, ...).
 *
 * <p>Immutable. The credentials are secrets: they are in no log line, message or
 * {@code toString()}. A proxy that refuses (407, connection refused) gives a
 * {@link KoyebTransportException}, never a hang.
 *
 * <pre>{@code
 * ReactiveSnapshotsClient.builder()
 *         .proxy(ProxySettings.http("proxy.corp.example", 3128).credentials("svc-koyeb", secret)
 *                 .nonProxyHosts("localhost|*.corp.example").build())
 * }</pre>
 */
public final class ProxySettings {

    private final @Nullable String host;
    private final int port;
    private final @Nullable String username;
    private final @Nullable String password;
    private final @Nullable String nonProxyHosts;

    private ProxySettings(@Nullable String host, int port, @Nullable String username, @Nullable String password,
            @Nullable String nonProxyHosts) {
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.nonProxyHosts = nonProxyHosts;
    }

    /**
     * A builder for an HTTP proxy (it tunnels HTTPS with {@code CONNECT}).
     *
     * @param host the proxy's host
     * @param port the proxy's port, 1 to 65535
     * @return a new builder
     * @throws IllegalArgumentException if the host is blank or the port out of range
     */
    public static Builder http(String host, int port) {
        return new Builder(host, port);
    }

    /**
     * The JVM's standard proxy system properties, read when the client is built:
     * {@code https.proxyHost}/{@code https.proxyPort} (or {@code http.*} for plain http),
     * {@code http.nonProxyHosts}; none set means no proxy.
     *
     * @return the settings
     */
    public static ProxySettings fromSystemProperties() {
        return new ProxySettings(null, 0, null, null, null);
    }

    /**
     * Whether the JVM's proxy system properties are used.
     *
     * @return true for {@link #fromSystemProperties()}
     */
    public boolean isFromSystemProperties() {
        return host == null;
    }

    /**
     * The proxy's host.
     *
     * @return the host, or null for {@link #fromSystemProperties()}
     */
    public @Nullable String host() {
        return host;
    }

    /**
     * The proxy's port.
     *
     * @return the port, or 0 for {@link #fromSystemProperties()}
     */
    public int port() {
        return port;
    }

    /**
     * The user name for the proxy's Basic authentication.
     *
     * @return the user name, or null for none
     */
    public @Nullable String username() {
        return username;
    }

    /**
     * The password for the proxy's Basic authentication; a secret.
     *
     * @return the password, or null for none
     */
    public @Nullable String password() {
        return password;
    }

    /**
     * The hosts reached without the proxy, in the JVM's {@code http.nonProxyHosts} form.
     *
     * @return the pattern, or null for none
     */
    public @Nullable String nonProxyHosts() {
        return nonProxyHosts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxySettings other && Objects.equals(host, other.host) && port == other.port
                && Objects.equals(username, other.username) && Objects.equals(password, other.password)
                && Objects.equals(nonProxyHosts, other.nonProxyHosts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, username, password, nonProxyHosts);
    }

    @Override
    public String toString() {
        if (host == null) {
            return "ProxySettings{fromSystemProperties}";
        }
        return "ProxySettings{" + host + ':' + port + ", credentials=" + (username == null ? "none" : "[REDACTED]")
                + ", nonProxyHosts=" + nonProxyHosts + '}';
    }

    /** Builds {@link ProxySettings}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final String host;
        private final int port;
        private @Nullable String username;
        private @Nullable String password;
        private @Nullable String nonProxyHosts;

        private Builder(String host, int port) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("proxy host must not be blank");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("proxy port must be between 1 and 65535, was " + port);
            }
            this.host = host.trim();
            this.port = port;
        }

        /**
         * Basic authentication with the proxy.
         *
         * @param username the user name
         * @param password the password; a secret, never shown
         * @return this builder
         * @throws IllegalArgumentException if either holds a control character
         */
        public Builder credentials(String username, String password) {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (username.chars().anyMatch(Character::isISOControl) || password.chars().anyMatch(Character::isISOControl)) {
                // never quoted: the values are secrets
                throw new IllegalArgumentException("proxy credentials must not contain control characters");
            }
            this.username = username;
            this.password = password;
            return this;
        }

        /**
         * The hosts reached directly, in the JVM's {@code http.nonProxyHosts} form:
         * {@code localhost|*.corp.example}.
         *
         * @param pattern the pattern
         * @return this builder
         */
        public Builder nonProxyHosts(String pattern) {
            this.nonProxyHosts = Objects.requireNonNull(pattern, "pattern");
            return this;
        }

        /**
         * The settings.
         *
         * @return new settings
         */
        public ProxySettings build() {
            return new ProxySettings(host, port, username, password, nonProxyHosts);
        }
    }
}
