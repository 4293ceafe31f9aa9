package io.github.reactivekoyeb.snapshots;

/**
 * Too many requests (HTTP 429). Retried by the default {@link RetryPolicy}, honouring {@code Retry-After}.
 *
 * @see KoyebApiException
 */
public class KoyebRateLimitException extends KoyebApiException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the client does this, applications need it only in their own tests.
     *
     * @param details the request and the reply
     */
    public KoyebRateLimitException(KoyebErrorDetails details) {
        super(details);
    }
}
