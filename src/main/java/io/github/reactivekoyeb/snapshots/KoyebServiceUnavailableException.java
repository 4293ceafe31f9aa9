package io.github.reactivekoyeb.snapshots;

/**
 * The service is unavailable (HTTP 503). Retried by the default {@link RetryPolicy}, honouring {@code Retry-After}.
 *
 * @see KoyebApiException
 */
public class KoyebServiceUnavailableException extends KoyebApiException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the client does this, applications need it only in their own tests.
     *
     * @param details the request and the reply
     */
    public KoyebServiceUnavailableException(KoyebErrorDetails details) {
        super(details);
    }
}
