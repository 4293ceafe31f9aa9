package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The {@code koyeb.snapshots.*} properties. Checked when they are bound, at start-up, without a
 * Bean Validation provider: a bad value fails start-up with a message naming the full property.
 */
@ConfigurationProperties(prefix = KoyebSnapshotsProperties.PREFIX)
public class KoyebSnapshotsProperties implements Validator {

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

    /** Retries of 503, 429 and connections that could not be opened. */
    private final Retry retry = new Retry();

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
     * The retry settings.
     *
     * @return the nested settings
     */
    public Retry getRetry() {
        return retry;
    }

    /**
     * The retry policy these properties describe.
     *
     * @return a new policy
     */
    public RetryPolicy toRetryPolicy() {
        return RetryPolicy.builder().maxRetries(retry.maxRetries).initialBackoff(retry.initialBackoff)
                .maxBackoff(retry.maxBackoff).build();
    }

    @Override
    public boolean supports(Class<?> clazz) {
        return KoyebSnapshotsProperties.class.isAssignableFrom(clazz);
    }

    @Override
    public void validate(Object target, Errors errors) {
        KoyebSnapshotsProperties p = (KoyebSnapshotsProperties) target;
        if (!isHttpUrl(p.baseUrl)) {
            errors.rejectValue("baseUrl", "invalid", PREFIX + ".base-url must be an absolute http(s) URL without a query");
        }
        if (p.responseTimeout == null || p.responseTimeout.isZero() || p.responseTimeout.isNegative()) {
            errors.rejectValue("responseTimeout", "invalid", PREFIX + ".response-timeout must be positive");
        }
        if (p.pageSize < ListSnapshotsRequest.MIN_PAGE_SIZE || p.pageSize > ListSnapshotsRequest.MAX_PAGE_SIZE) {
            errors.rejectValue("pageSize", "range", PREFIX + ".page-size must be between "
                    + ListSnapshotsRequest.MIN_PAGE_SIZE + " and " + ListSnapshotsRequest.MAX_PAGE_SIZE);
        }
        if (p.retry.maxRetries < 0) {
            errors.rejectValue("retry.maxRetries", "range", PREFIX + ".retry.max-retries must not be negative");
        }
        if (!positive(p.retry.initialBackoff)) {
            errors.rejectValue("retry.initialBackoff", "invalid", PREFIX + ".retry.initial-backoff must be positive");
        }
        if (!positive(p.retry.maxBackoff)) {
            errors.rejectValue("retry.maxBackoff", "invalid", PREFIX + ".retry.max-backoff must be positive");
        }
        String t = p.token;
        if (t != null && !t.isBlank() && t.trim().chars().anyMatch(Character::isISOControl)) {
            // an object error, not a field error: Spring and Boot would quote a field's rejected
            // value, here the token, in the exception and in the start-up failure report
            errors.reject("invalid", PREFIX + ".token must not contain control characters");
        }
    }

    private static boolean positive(@Nullable Duration d) {
        return d != null && !d.isZero() && !d.isNegative();
    }

    private static boolean isHttpUrl(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        try {
            URI uri = new URI(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawQuery() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "KoyebSnapshotsProperties{baseUrl=" + baseUrl + ", token=" + (token == null || token.isBlank() ? "none"
                : "[REDACTED]") + ", responseTimeout=" + responseTimeout + ", pageSize=" + pageSize + '}';
    }

    /** {@code koyeb.snapshots.retry.*}. */
    public static class Retry {

        /** How many times a failed request is sent again at most. */
        private int maxRetries = 3;

        /** Backoff before the first retry; it doubles with each retry, with jitter. */
        private Duration initialBackoff = Duration.ofMillis(250);

        /** Longest wait between two tries, also the cap on the server's Retry-After. */
        private Duration maxBackoff = Duration.ofSeconds(20);

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
    }
}
