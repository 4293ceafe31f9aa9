package io.github.reactivekoyeb.snapshots;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link KoyebException} knows of the request that failed and of the reply, if one came:
 * one immutable value that every exception of the client takes (in the style of r2dbc's
 * {@code ErrorDetails}), instead of a long list of positional arguments.
 *
 * <pre>{@code
 * KoyebErrorDetails details = KoyebErrorDetails.builder("GET", "/v1/snapshots/abc")
 *         .statusCode(404).errorCode("not_found").errorMessage("Snapshot not found").build();
 * throw new KoyebNotFoundException(details);
 * }</pre>
 *
 * <p>The client makes these; applications need them only to build exceptions in their own tests.
 * Nothing here holds the token: the client masks it in whatever it takes from a reply.
 */
public final class KoyebErrorDetails implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The most characters {@link #bodySnippet()} holds: {@value}. */
    public static final int MAX_SNIPPET_LENGTH = 512;

    /** The HTTP method of the request. */
    private final String method;
    /** The request path, without the query. */
    private final String path;
    /** How many requests were sent for this outcome. */
    private final int attempts;
    /** The HTTP status of the reply, 0 when none arrived. */
    private final int statusCode;
    /** The API's error code, when the body had one. */
    private final @Nullable String errorCode;
    /** The API's error message, when the body had one. */
    private final @Nullable String errorMessage;
    /** The start of the body. */
    private final String bodySnippet;
    /** The wait the server asked for, when it did. */
    private final @Nullable Duration retryAfter;
    /** The fields a 400 reply named, each as its name and description (ErrorField is not serializable). */
    private final @Nullable String[][] fields;
    /** Whether the retry budget refused a retry. */
    private final boolean retryBudgetExhausted;

    private KoyebErrorDetails(Builder b) {
        this.method = b.method;
        this.path = b.path;
        this.attempts = b.attempts;
        this.statusCode = b.statusCode;
        this.errorCode = b.errorCode;
        this.errorMessage = b.errorMessage;
        this.bodySnippet = b.bodySnippet;
        this.retryAfter = b.retryAfter;
        this.fields = new String[b.fields.size()][];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = new String[] {b.fields.get(i).field(), b.fields.get(i).description()};
        }
        this.retryBudgetExhausted = b.retryBudgetExhausted;
    }

    /**
     * A builder for the details of a failed request.
     *
     * @param method the HTTP method, e.g. {@code GET}
     * @param path the request path without the query, e.g. {@code /v1/snapshots/abc}
     * @return a new builder; one attempt, no reply
     */
    public static Builder builder(String method, String path) {
        return new Builder(method, path);
    }

    /**
     * A builder holding these details, to derive others from.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(method, path);
        b.attempts = attempts;
        b.statusCode = statusCode;
        b.errorCode = errorCode;
        b.errorMessage = errorMessage;
        b.bodySnippet = bodySnippet;
        b.retryAfter = retryAfter;
        b.fields = fields();
        b.retryBudgetExhausted = retryBudgetExhausted;
        return b;
    }

    /**
     * The HTTP method of the failed request.
     *
     * @return e.g. {@code GET}
     */
    public String method() {
        return method;
    }

    /**
     * The path of the failed request, without the query string.
     *
     * @return e.g. {@code /v1/snapshots/abc}
     */
    public String path() {
        return path;
    }

    /**
     * How many requests were sent for this outcome.
     *
     * @return 1 or more (0 only when nothing could be sent)
     */
    public int attempts() {
        return attempts;
    }

    /**
     * The HTTP status of the reply.
     *
     * @return the status, or 0 when no reply arrived
     */
    public int statusCode() {
        return statusCode;
    }

    /**
     * The error code of the reply's body.
     *
     * @return the code, or null when the body did not parse as an error
     */
    public @Nullable String errorCode() {
        return errorCode;
    }

    /**
     * The error message of the reply's body.
     *
     * @return the message, or null when the body did not parse as an error
     */
    public @Nullable String errorMessage() {
        return errorMessage;
    }

    /**
     * The start of the reply's body, at most {@value #MAX_SNIPPET_LENGTH} characters.
     *
     * @return the snippet, empty when there was no body
     */
    public String bodySnippet() {
        return bodySnippet;
    }

    /**
     * The wait the server asked for in {@code Retry-After}.
     *
     * @return the wait, or empty when it asked for none
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * The invalid fields a 400 reply named.
     *
     * @return an unmodifiable list, empty when it named none
     */
    public List<ErrorField> fields() {
        List<ErrorField> list = new ArrayList<>(fields.length);
        for (@Nullable String[] f : fields) {
            list.add(new ErrorField(f[0], f[1]));
        }
        return List.copyOf(list);
    }

    /**
     * Whether the retry policy would have retried this failure but the client's
     * {@link RetryBudget} was exhausted.
     *
     * @return true when the budget refused a retry
     */
    public boolean retryBudgetExhausted() {
        return retryBudgetExhausted;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KoyebErrorDetails d && method.equals(d.method) && path.equals(d.path)
                && attempts == d.attempts && statusCode == d.statusCode && Objects.equals(errorCode, d.errorCode)
                && Objects.equals(errorMessage, d.errorMessage) && bodySnippet.equals(d.bodySnippet)
                && Objects.equals(retryAfter, d.retryAfter) && fields().equals(d.fields())
                && retryBudgetExhausted == d.retryBudgetExhausted;
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, path, attempts, statusCode, errorCode, errorMessage, bodySnippet, retryAfter,
                fields(), retryBudgetExhausted);
    }

    @Override
    public String toString() {
        return "KoyebErrorDetails{" + method + ' ' + path + ", status=" + statusCode + ", errorCode=" + errorCode
                + ", attempts=" + attempts + (retryBudgetExhausted ? ", retryBudgetExhausted" : "") + '}';
    }

    /** Builds {@link KoyebErrorDetails}. Not thread-safe. */
    public static final class Builder {
        private final String method;
        private final String path;
        private int attempts = 1;
        private int statusCode;
        private @Nullable String errorCode;
        private @Nullable String errorMessage;
        private String bodySnippet = "";
        private @Nullable Duration retryAfter;
        private List<ErrorField> fields = List.of();
        private boolean retryBudgetExhausted;

        private Builder(String method, String path) {
            this.method = Objects.requireNonNull(method, "method");
            this.path = Objects.requireNonNull(path, "path");
        }

        /**
         * How many requests were sent for this outcome; default 1.
         *
         * @param attempts 0 or more
         * @return this builder
         */
        public Builder attempts(int attempts) {
            if (attempts < 0) {
                throw new IllegalArgumentException("attempts must not be negative, was " + attempts);
            }
            this.attempts = attempts;
            return this;
        }

        /**
         * The HTTP status of the reply; default 0, none arrived.
         *
         * @param statusCode the status
         * @return this builder
         */
        public Builder statusCode(int statusCode) {
            this.statusCode = statusCode;
            return this;
        }

        /**
         * The {@code code} of the error body.
         *
         * @param errorCode the code, or null
         * @return this builder
         */
        public Builder errorCode(@Nullable String errorCode) {
            this.errorCode = errorCode;
            return this;
        }

        /**
         * The {@code message} of the error body.
         *
         * @param errorMessage the message, or null
         * @return this builder
         */
        public Builder errorMessage(@Nullable String errorMessage) {
            this.errorMessage = errorMessage;
            return this;
        }

        /**
         * The start of the body, capped here at {@value KoyebErrorDetails#MAX_SNIPPET_LENGTH}
         * characters.
         *
         * @param bodySnippet the text, or null for none
         * @return this builder
         */
        public Builder bodySnippet(@Nullable String bodySnippet) {
            String s = bodySnippet == null ? "" : bodySnippet;
            this.bodySnippet = s.length() <= MAX_SNIPPET_LENGTH ? s : s.substring(0, MAX_SNIPPET_LENGTH);
            return this;
        }

        /**
         * The wait the server asked for in {@code Retry-After}.
         *
         * @param retryAfter the wait, or null
         * @return this builder
         */
        public Builder retryAfter(@Nullable Duration retryAfter) {
            this.retryAfter = retryAfter;
            return this;
        }

        /**
         * The invalid fields a 400 reply named.
         *
         * @param fields the fields, copied
         * @return this builder
         */
        public Builder fields(List<ErrorField> fields) {
            this.fields = List.copyOf(fields);
            return this;
        }

        /**
         * Whether the retry budget refused a retry of this failure.
         *
         * @param exhausted true when it did
         * @return this builder
         */
        public Builder retryBudgetExhausted(boolean exhausted) {
            this.retryBudgetExhausted = exhausted;
            return this;
        }

        /**
         * The details.
         *
         * @return a new immutable value
         */
        public KoyebErrorDetails build() {
            return new KoyebErrorDetails(this);
        }
    }
}
