package io.github.reactivekoyeb.snapshots;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The server answered with an HTTP error status.
 *
 * <p>The client emits the most specific subclass for the status: {@link KoyebValidationException}
 * (400), {@link KoyebUnauthorizedException} (401), {@link KoyebForbiddenException} (403),
 * {@link KoyebNotFoundException} (404), {@link KoyebRateLimitException} (429),
 * {@link KoyebServiceUnavailableException} (503), {@link KoyebServerException} (any other 5xx);
 * any other status gives this class itself.
 *
 * <p>{@link #errorCode()} and {@link #errorMessage()} come from the body when it parses as one
 * of the API's error shapes ({@code Error}, {@code ErrorWithFields}, {@code google.rpc.Status});
 * {@link #bodySnippet()} is the start of the body whatever it holds. A token echoed back by the
 * server is masked in all of them.
 */
public class KoyebApiException extends KoyebException {

    private static final long serialVersionUID = 1L;

    /** The most characters {@link #bodySnippet()} holds: {@value}. */
    public static final int MAX_SNIPPET_LENGTH = 512;

    /** The HTTP status of the reply. */
    private final int statusCode;
    /** The API's error code, when the body had one. */
    private final @Nullable String errorCode;
    /** The API's error message, masked, when the body had one. */
    private final @Nullable String errorMessage;
    /** The start of the body, masked and without control characters. */
    private final String bodySnippet;
    private final transient @Nullable Duration retryAfter;

    /**
     * Creates the exception; the client does this, applications need it only in their own tests.
     *
     * @param statusCode the HTTP status
     * @param method the HTTP method, e.g. {@code GET}
     * @param path the request path without the query
     * @param errorCode the {@code code} of the error body, or null
     * @param errorMessage the {@code message} of the error body, or null
     * @param bodySnippet the start of the body (capped at {@value #MAX_SNIPPET_LENGTH} characters
     *     here), or null for none
     * @param attempts how many requests were sent for this outcome
     * @param retryAfter the wait the server asked for in {@code Retry-After}, or null
     */
    public KoyebApiException(int statusCode, String method, String path, @Nullable String errorCode,
            @Nullable String errorMessage, @Nullable String bodySnippet, int attempts, @Nullable Duration retryAfter) {
        super(describe(statusCode, method, path, errorCode, errorMessage, attempts), method, path, attempts, null);
        this.statusCode = statusCode;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
        this.bodySnippet = cap(bodySnippet);
        this.retryAfter = retryAfter;
    }

    private static String cap(@Nullable String snippet) {
        if (snippet == null) {
            return "";
        }
        return snippet.length() <= MAX_SNIPPET_LENGTH ? snippet : snippet.substring(0, MAX_SNIPPET_LENGTH);
    }

    private static String describe(int statusCode, String method, String path, @Nullable String errorCode,
            @Nullable String errorMessage, int attempts) {
        StringBuilder sb = new StringBuilder(96).append(method).append(' ').append(path)
                .append(" failed with HTTP ").append(statusCode);
        if (errorCode != null || errorMessage != null) {
            sb.append(" (");
            if (errorCode != null) {
                sb.append(errorCode);
            }
            if (errorCode != null && errorMessage != null) {
                sb.append(": ");
            }
            if (errorMessage != null) {
                sb.append(errorMessage);
            }
            sb.append(')');
        }
        sb.append(" after ").append(attempts).append(attempts == 1 ? " attempt" : " attempts");
        return sb.toString();
    }

    /**
     * The HTTP status of the reply.
     *
     * @return e.g. 404
     */
    public int statusCode() {
        return statusCode;
    }

    /**
     * The error code of the body: the {@code code} string of an {@code Error} or
     * {@code ErrorWithFields}, or the numeric {@code code} of a {@code google.rpc.Status} as a
     * string.
     *
     * @return the code, or null when the body did not parse as an error
     */
    public @Nullable String errorCode() {
        return errorCode;
    }

    /**
     * The human-readable message of the body.
     *
     * @return the message, or null when the body did not parse as an error
     */
    public @Nullable String errorMessage() {
        return errorMessage;
    }

    /**
     * The start of the response body, at most {@value #MAX_SNIPPET_LENGTH} characters, with
     * control characters removed and the token masked.
     *
     * @return the snippet, empty for an empty body
     */
    public String bodySnippet() {
        return bodySnippet;
    }

    /**
     * The wait the server asked for in its {@code Retry-After} header (seconds or an HTTP date),
     * as read when the reply arrived.
     *
     * @return the wait, or empty when the reply had no valid {@code Retry-After}
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
