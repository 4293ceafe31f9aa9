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
    public static final int MAX_SNIPPET_LENGTH = KoyebErrorDetails.MAX_SNIPPET_LENGTH;

    /**
     * Creates the exception; the client does this, applications need it only in their own tests.
     *
     * @param details the request and the reply, its {@link KoyebErrorDetails#statusCode()} set
     */
    public KoyebApiException(KoyebErrorDetails details) {
        super(describe(details), details, null);
    }

    /**
     * Creates the exception with a message of its own, for a failure the client found before any
     * reply (its rate limiter refused to send, say).
     *
     * @param message the message; must not contain the token
     * @param details the request, and the status the failure stands for
     */
    protected KoyebApiException(String message, KoyebErrorDetails details) {
        super(message, details, null);
    }

    private static String describe(KoyebErrorDetails d) {
        StringBuilder sb = new StringBuilder(96).append(d.method()).append(' ').append(d.path())
                .append(" failed with HTTP ").append(d.statusCode());
        String code = d.errorCode();
        String message = d.errorMessage();
        if (code != null || message != null) {
            sb.append(" (");
            if (code != null) {
                sb.append(code);
            }
            if (code != null && message != null) {
                sb.append(": ");
            }
            if (message != null) {
                sb.append(message);
            }
            sb.append(')');
        }
        return sb.append(afterAttempts(d.attempts())).toString();
    }

    /**
     * The HTTP status of the reply.
     *
     * @return e.g. 404
     */
    public int statusCode() {
        return details().statusCode();
    }

    /**
     * The error code of the body: the {@code code} string of an {@code Error} or
     * {@code ErrorWithFields}, or the numeric {@code code} of a {@code google.rpc.Status} as a
     * string.
     *
     * @return the code, or null when the body did not parse as an error
     */
    public @Nullable String errorCode() {
        return details().errorCode();
    }

    /**
     * The human-readable message of the body.
     *
     * @return the message, or null when the body did not parse as an error
     */
    public @Nullable String errorMessage() {
        return details().errorMessage();
    }

    /**
     * The start of the response body, at most {@value #MAX_SNIPPET_LENGTH} characters, with
     * control characters removed and the token masked.
     *
     * @return the snippet, empty for an empty body
     */
    public String bodySnippet() {
        return details().bodySnippet();
    }

    /**
     * The wait the server asked for in its {@code Retry-After} header (seconds or an HTTP date),
     * as read when the reply arrived.
     *
     * @return the wait, or empty when the reply had no valid {@code Retry-After}
     */
    public Optional<Duration> retryAfter() {
        return details().retryAfter();
    }
}
