package io.github.reactivekoyeb.snapshots;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The root of every error the client emits for what it was asked to do: the server answered
 * with an error status ({@link KoyebApiException} and its subclasses), no usable answer arrived
 * ({@link KoyebTransportException}), the {@link TokenProvider} gave no usable token
 * ({@link KoyebTokenProviderException}), or a wait for a snapshot ended without it
 * ({@link KoyebWaitTimeoutException}, {@link KoyebUnexpectedStatusException}).
 *
 * <p>Unchecked and immutable: everything it knows is in its {@link #details()}, set when it is
 * made. The message names the HTTP method and the request path (never the query string, never
 * the token).
 */
public abstract class KoyebException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What is known of the request and the reply. */
    private final KoyebErrorDetails details;

    /**
     * Creates the exception; the message gets a note when the retry budget refused a retry.
     *
     * @param message the message; must not contain the token
     * @param details the request and the reply
     * @param cause the underlying failure, or null
     */
    protected KoyebException(String message, KoyebErrorDetails details, @Nullable Throwable cause) {
        super(details.retryBudgetExhausted() ? message + "; not retried: the client's retry budget is exhausted"
                : message, cause);
        this.details = Objects.requireNonNull(details, "details");
    }

    /**
     * Everything the client knows of the failed request and its reply.
     *
     * @return the details
     */
    public KoyebErrorDetails details() {
        return details;
    }

    /**
     * The HTTP method of the failed request.
     *
     * @return e.g. {@code GET}
     */
    public String method() {
        return details.method();
    }

    /**
     * The path of the failed request, without the query string.
     *
     * @return e.g. {@code /v1/snapshots/abc}
     */
    public String path() {
        return details.path();
    }

    /**
     * How many requests were sent for this outcome: 1 when it was not retried, 1 + the number of
     * retries otherwise (for a wait, the requests the wait sent).
     *
     * @return 1 or more; 0 when nothing could be sent (a token provider that failed first)
     */
    public int attempts() {
        return details.attempts();
    }

    /**
     * Whether the policy would have retried this failure but the client's {@link RetryBudget}
     * was exhausted, so that the call ended at once; the message says so too.
     *
     * @return true when a retry was refused by the budget
     */
    public boolean retryBudgetExhausted() {
        return details.retryBudgetExhausted();
    }

    @Override
    public String getMessage() {
        // every constructor takes a message, but Throwable's getter may return null in general
        return Objects.requireNonNullElse(super.getMessage(), "");
    }

    /** "after 1 attempt", "after 3 attempts". */
    static String afterAttempts(int attempts) {
        return " after " + attempts + (attempts == 1 ? " attempt" : " attempts");
    }
}
