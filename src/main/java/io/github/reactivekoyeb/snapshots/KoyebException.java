package io.github.reactivekoyeb.snapshots;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The root of every error the client emits for a request it made: either the server answered
 * with an error status ({@link KoyebApiException} and its subclasses) or no usable answer
 * arrived ({@link KoyebTransportException}).
 *
 * <p>Unchecked, and immutable once emitted. The message names the HTTP method and the request path (never
 * the query string, never the token).
 */
public abstract class KoyebException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The HTTP method of the request. */
    private final String method;
    /** The request path, without the query. */
    private final String path;
    /** How many requests were sent. */
    private final int attempts;
    /** Whether the retry budget refused a retry. */
    private boolean retryBudgetExhausted;

    static {
        io.github.reactivekoyeb.snapshots.internal.ExceptionMarks.register(e -> e.retryBudgetExhausted = true);
    }

    /**
     * Creates the exception.
     *
     * @param message the message; must not contain the token
     * @param method the HTTP method, e.g. {@code GET}
     * @param path the request path without the query, e.g. {@code /v1/snapshots/abc}
     * @param attempts how many requests were sent for this outcome, 1 or more
     * @param cause the underlying failure, or null
     */
    protected KoyebException(String message, String method, String path, int attempts, @Nullable Throwable cause) {
        super(message, cause);
        this.method = method;
        this.path = path;
        this.attempts = attempts;
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
     * How many requests were sent for this outcome: 1 when it was not retried, 1 + the number of
     * retries otherwise.
     *
     * @return 1 or more
     */
    public int attempts() {
        return attempts;
    }

    /**
     * Whether the policy would have retried this failure but the client's {@link RetryBudget}
     * was exhausted, so that the call ended at once; the message says so too.
     *
     * @return true when a retry was refused by the budget
     */
    public boolean retryBudgetExhausted() {
        return retryBudgetExhausted;
    }

    @Override
    public String getMessage() {
        // every constructor takes a message, but Throwable's getter may return null in general
        String message = Objects.requireNonNullElse(super.getMessage(), "");
        return retryBudgetExhausted ? message + "; not retried: the client's retry budget is exhausted" : message;
    }
}
