package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RateLimiter;
import io.github.reactivekoyeb.snapshots.RetryBudget;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The {@code koyeb.snapshots.*} properties: a plain bean, mapped onto the client's builder by
 * {@link #applyTo(ReactiveSnapshotsClient.Builder)}. They are checked when they are bound, at
 * start-up, by that same mapping: each value goes through the builder or domain type that takes
 * it ({@code RetryPolicy}, {@code RetryBudget}, {@code ProxySettings}, ...), and a value it
 * rejects fails start-up with its own message, named by the full property (no Bean Validation
 * provider needed, the same on every Boot line). Options without a property are set by a
 * {@link ReactiveSnapshotsClientBuilderCustomizer} bean.
 */
@ConfigurationProperties(prefix = KoyebSnapshotsProperties.PREFIX)
public class KoyebSnapshotsProperties implements Validator {

    /** Creates the properties with the defaults. */
    public KoyebSnapshotsProperties() {
    }

    /** The prefix of every property: {@value}. */
    public static final String PREFIX = "koyeb.snapshots";

    /** Base URL of the Koyeb API. */
    private String baseUrl = "https://app.koyeb.com"; // literal defaults: the metadata processor reads them

    /**
     * API token, sent as "Authorization: Bearer". When blank, the KOYEB_API_TOKEN environment
     * variable is used; with neither, no client bean is created.
     */
    private @Nullable String token;

    /** Longest wait for one complete response (status, headers and body) of one request. */
    private Duration responseTimeout = Duration.ofSeconds(30);

    /** Page size of listings whose request sets none, 1 to 100. */
    private int pageSize = 100;

    /** Page requests kept in flight ahead of demand by listings that set none, 0 to 16. */
    private int readAhead = 0;

    /** Whether replies are asked for gzip-compressed; the response size limit bounds them inflated. */
    private boolean compression = true;

    /** Retries of 503, 429 and connections that could not be opened. */
    private final Retry retry = new Retry();

    /** The client's adaptive rate limiter. */
    @NestedConfigurationProperty
    private final RateLimitProperties rateLimit = new RateLimitProperties();

    /** HTTPS trust. */
    private final Ssl ssl = new Ssl();

    /** An HTTP(S) proxy. */
    private final Proxy proxy = new Proxy();

    /**
     * The base URL.
     *
     * @return the URL
     */
    public String getBaseUrl() {
        return baseUrl;
    }

    /**
     * Sets the base URL.
     *
     * @param baseUrl the URL
     */
    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * The token as configured (may be blank; see the auto-configuration for the fallback).
     *
     * @return the token, or null
     */
    public @Nullable String getToken() {
        return token;
    }

    /**
     * Sets the token.
     *
     * @param token the token
     */
    public void setToken(@Nullable String token) {
        this.token = token;
    }

    /**
     * The response timeout.
     *
     * @return the timeout
     */
    public Duration getResponseTimeout() {
        return responseTimeout;
    }

    /**
     * Sets the response timeout.
     *
     * @param responseTimeout the timeout
     */
    public void setResponseTimeout(Duration responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    /**
     * The default page size.
     *
     * @return 1 to 100
     */
    public int getPageSize() {
        return pageSize;
    }

    /**
     * Sets the default page size.
     *
     * @param pageSize 1 to 100
     */
    public void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    /**
     * The default read-ahead of listings.
     *
     * @return 0 to 16
     */
    public int getReadAhead() {
        return readAhead;
    }

    /**
     * Sets the default read-ahead of listings.
     *
     * @param readAhead 0 to 16
     */
    public void setReadAhead(int readAhead) {
        this.readAhead = readAhead;
    }

    /**
     * Whether replies are asked for gzip-compressed.
     *
     * @return true by default
     */
    public boolean isCompression() {
        return compression;
    }

    /**
     * Sets whether replies are asked for gzip-compressed.
     *
     * @param compression false for plain replies
     */
    public void setCompression(boolean compression) {
        this.compression = compression;
    }

    /**
     * The retry settings.
     *
     * @return the nested settings
     */
    public Retry getRetry() {
        return retry;
    }

    /**
     * The rate-limit settings ({@code koyeb.snapshots.rate-limit.*}).
     *
     * @return the nested settings
     */
    public RateLimitProperties getRateLimit() {
        return rateLimit;
    }

    /**
     * The rate limiter these properties describe: {@link RateLimiter#NONE} when
     * {@code rate-limit.enabled} is false, else a new adaptive limiter with their settings.
     *
     * @return a new limiter (or {@code NONE})
     * @throws IllegalArgumentException if a value is invalid
     */
    public RateLimiter toRateLimiter() {
        return PropertiesBinding.rateLimiter(this, PropertiesBinding.THROWING);
    }

    /**
     * The proxy settings.
     *
     * @return the nested settings
     */
    public Proxy getProxy() {
        return proxy;
    }

    /**
     * The HTTPS trust settings.
     *
     * @return the nested settings
     */
    public Ssl getSsl() {
        return ssl;
    }

    /**
     * Sets these properties on a client builder: the base URL, the token (when one is set here),
     * the timeouts, paging, compression, the retry policy, the rate limiter and the proxy. The SSL bundle, the
     * {@code KOYEB_API_TOKEN} fallback and the beans are the auto-configuration's.
     *
     * @param builder the builder
     * @throws IllegalArgumentException if a value is invalid (the properties' validation, at bind
     *     time, reports it first)
     */
    public void applyTo(ReactiveSnapshotsClient.Builder builder) {
        PropertiesBinding.apply(this, builder, PropertiesBinding.THROWING);
    }

    /**
     * The retry policy these properties describe.
     *
     * @return a new policy
     * @throws IllegalArgumentException if a value is invalid
     */
    public RetryPolicy toRetryPolicy() {
        return PropertiesBinding.retryPolicy(this, PropertiesBinding.THROWING);
    }

    @Override
    public boolean supports(Class<?> clazz) {
        return KoyebSnapshotsProperties.class.isAssignableFrom(clazz);
    }

    @Override
    public void validate(Object target, Errors errors) {
        PropertiesBinding.validate((KoyebSnapshotsProperties) target, errors);
    }

    @Override
    public String toString() {
        return "KoyebSnapshotsProperties{baseUrl=" + baseUrl + ", token=" + (token == null || token.isBlank() ? "none"
                : "[REDACTED]") + ", responseTimeout=" + responseTimeout + ", pageSize=" + pageSize + '}';
    }

    /** {@code koyeb.snapshots.retry.*}. */
    public static class Retry {

        /** Creates the retry properties with the defaults. */
        public Retry() {
        }

        /** How many times a failed request is sent again at most. */
        private int maxRetries = 3;

        /** Backoff before the first retry; it doubles with each retry, with jitter. */
        private Duration initialBackoff = Duration.ofMillis(250);

        /** Longest wait between two tries, also the cap on the server's Retry-After. */
        private Duration maxBackoff = Duration.ofSeconds(20);

        /** The client-wide retry budget (a token bucket shared by every call of the client). */
        private final Budget budget = new Budget();

        /**
         * The retry budget settings.
         *
         * @return the nested settings
         */
        public Budget getBudget() {
            return budget;
        }

        /**
         * The most retries.
         *
         * @return 0 or more
         */
        public int getMaxRetries() {
            return maxRetries;
        }

        /**
         * Sets the most retries.
         *
         * @param maxRetries 0 or more
         */
        public void setMaxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
        }

        /**
         * The first backoff.
         *
         * @return the backoff
         */
        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        /**
         * Sets the first backoff.
         *
         * @param initialBackoff the backoff
         */
        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        /**
         * The longest wait.
         *
         * @return the wait
         */
        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        /**
         * Sets the longest wait.
         *
         * @param maxBackoff the wait
         */
        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }
    
        /** {@code koyeb.snapshots.retry.budget.*}: see {@link RetryBudget}. */
        public static class Budget {

            /** Creates the retry-budget properties with the defaults. */
            public Budget() {
            }

            /** Whether retries draw from a client-wide budget; false sends every retry the policy allows. */
            private boolean enabled = true;

            /** Capacity of the bucket, and its content at start. */
            private int maxTokens = 500;

            /** Tokens a retry takes after a 503, a 429 or a refused connection. */
            private int retryCost = 5;

            /** Tokens a retry takes after a response timeout or a broken connection. */
            private int timeoutCost = 10;

            /** Tokens a call that succeeds at its first try puts back. */
            private int successRefill = 1;

            /**
             * Whether the budget applies.
             *
             * @return true by default
             */
            public boolean isEnabled() {
                return enabled;
            }

            /**
             * Sets whether the budget applies.
             *
             * @param enabled false for no client-wide limit
             */
            public void setEnabled(boolean enabled) {
                this.enabled = enabled;
            }

            /**
             * The capacity.
             *
             * @return the tokens
             */
            public int getMaxTokens() {
                return maxTokens;
            }

            /**
             * Sets the capacity.
             *
             * @param maxTokens 1 or more
             */
            public void setMaxTokens(int maxTokens) {
                this.maxTokens = maxTokens;
            }

            /**
             * The cost of a retry.
             *
             * @return the tokens
             */
            public int getRetryCost() {
                return retryCost;
            }

            /**
             * Sets the cost of a retry.
             *
             * @param retryCost 1 or more
             */
            public void setRetryCost(int retryCost) {
                this.retryCost = retryCost;
            }

            /**
             * The cost of a retry after a timeout or a broken connection.
             *
             * @return the tokens
             */
            public int getTimeoutCost() {
                return timeoutCost;
            }

            /**
             * Sets the cost of a retry after a timeout or a broken connection.
             *
             * @param timeoutCost 1 or more
             */
            public void setTimeoutCost(int timeoutCost) {
                this.timeoutCost = timeoutCost;
            }

            /**
             * The refill of a success at the first try.
             *
             * @return the tokens
             */
            public int getSuccessRefill() {
                return successRefill;
            }

            /**
             * Sets the refill of a success at the first try.
             *
             * @param successRefill 0 or more
             */
            public void setSuccessRefill(int successRefill) {
                this.successRefill = successRefill;
            }
        }
}

    /** {@code koyeb.snapshots.ssl.*}. */
    public static class Ssl {

        /** Creates the SSL properties with the defaults. */
        public Ssl() {
        }

        /**
         * Name of a Spring Boot SSL bundle (spring.ssl.bundle.*) whose trust the client uses for
         * HTTPS instead of the JVM's default trust store.
         */
        private @Nullable String bundle;

        /**
         * The SSL bundle's name.
         *
         * @return the name, or null for the JVM's default trust
         */
        public @Nullable String getBundle() {
            return bundle;
        }

        /**
         * Sets the SSL bundle's name.
         *
         * @param bundle the name, or null
         */
        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }
    }

    /** {@code koyeb.snapshots.proxy.*}: see {@code ProxySettings}. */
    public static class Proxy {

        /** Creates the proxy properties with the defaults. */
        public Proxy() {
        }

        /** Host of an HTTP(S) proxy for every connection; none for direct connections. */
        private @Nullable String host;

        /** Port of the proxy. */
        private int port = 3128;

        /** User name for the proxy's Basic authentication. */
        private @Nullable String username;

        /** Password for the proxy's Basic authentication; never shown. */
        private @Nullable String password;

        /** Hosts reached directly, in the http.nonProxyHosts form: localhost|*.corp.example. */
        private @Nullable String nonProxyHosts;

        /** Whether the JVM's proxy system properties (https.proxyHost, ...) are used instead. */
        private boolean useSystemProperties;

        /**
         * The proxy's host.
         *
         * @return the host, or null for direct connections
         */
        public @Nullable String getHost() {
            return host;
        }

        /**
         * Sets the proxy's host.
         *
         * @param host the host, or null for direct connections
         */
        public void setHost(@Nullable String host) {
            this.host = host;
        }

        /**
         * The proxy's port.
         *
         * @return the port, 3128 unless set
         */
        public int getPort() {
            return port;
        }

        /**
         * Sets the proxy's port.
         *
         * @param port the port
         */
        public void setPort(int port) {
            this.port = port;
        }

        /**
         * The user name for the proxy's Basic authentication.
         *
         * @return the user name, or null for none
         */
        public @Nullable String getUsername() {
            return username;
        }

        /**
         * Sets the user name for the proxy's Basic authentication.
         *
         * @param username the user name, or null for none
         */
        public void setUsername(@Nullable String username) {
            this.username = username;
        }

        /**
         * The password for the proxy's Basic authentication; never logged or shown.
         *
         * @return the password, or null for none
         */
        public @Nullable String getPassword() {
            return password;
        }

        /**
         * Sets the password for the proxy's Basic authentication.
         *
         * @param password the password, or null for none
         */
        public void setPassword(@Nullable String password) {
            this.password = password;
        }

        /**
         * The hosts reached directly, in the {@code http.nonProxyHosts} form.
         *
         * @return the pattern, or null for none
         */
        public @Nullable String getNonProxyHosts() {
            return nonProxyHosts;
        }

        /**
         * Sets the hosts reached directly, e.g. {@code localhost|*.corp.example}.
         *
         * @param nonProxyHosts the pattern, or null for none
         */
        public void setNonProxyHosts(@Nullable String nonProxyHosts) {
            this.nonProxyHosts = nonProxyHosts;
        }

        /**
         * Whether the JVM's proxy system properties ({@code https.proxyHost}, ...) are used instead
         * of the properties above.
         *
         * @return true to use the system properties
         */
        public boolean isUseSystemProperties() {
            return useSystemProperties;
        }

        /**
         * Sets whether the JVM's proxy system properties are used instead of the properties above.
         *
         * @param useSystemProperties true to use the system properties
         */
        public void setUseSystemProperties(boolean useSystemProperties) {
            this.useSystemProperties = useSystemProperties;
        }
    }
}
