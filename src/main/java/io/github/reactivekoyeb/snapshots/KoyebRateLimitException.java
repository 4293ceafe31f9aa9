package io.github.reactivekoyeb.snapshots;

/**
 * Too many requests: the API answered HTTP 429, or the client's own {@link RateLimiter} would have
 * held the request longer than its maximum wait and did not send it ({@link #refusedByClient()}).
 * A 429 is retried by the default {@link RetryPolicy}, honouring {@code Retry-After}, paced by
 * the client's rate limiter; a refusal by the limiter is not retried.
 *
 * @see KoyebApiException
 */
public class KoyebRateLimitException extends KoyebApiException {

    private static final long serialVersionUID = 1L;

    /** Whether the client's rate limiter refused to send the request (no 429 from the API). */
    private final boolean refusedByClient;

    /**
     * Creates the exception for a 429 reply; the client does this, applications need it only in
     * their own tests.
     *
     * @param details the request and the reply
     */
    public KoyebRateLimitException(KoyebErrorDetails details) {
        super(details);
        this.refusedByClient = false;
    }

    /**
     * Creates the exception for a request that the client's rate limiter did not send.
     *
     * @param message what the limiter refused and why; must not contain the token
     * @param details the request, {@link KoyebErrorDetails#attempts()} counting what was sent,
     *     {@link KoyebErrorDetails#statusCode()} 429 and {@link KoyebErrorDetails#retryAfter()}
     *     the wait the limiter would have needed
     */
    public KoyebRateLimitException(String message, KoyebErrorDetails details) {
        super(message, details);
        this.refusedByClient = true;
    }

    /**
     * Whether the client's rate limiter refused to send the request, because it would have waited
     * longer than the limiter's {@linkplain RateLimiter#maxWait() maximum wait}; false when the
     * API answered 429.
     *
     * @return true for a refusal by the client
     */
    public boolean refusedByClient() {
        return refusedByClient;
    }
}
