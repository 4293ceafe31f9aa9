package io.github.reactivekoyeb.snapshots;

/**
 * A server error (HTTP 5xx other than 503). Never retried: the request may have had effects.
 *
 * @see KoyebApiException
 */
public class KoyebServerException extends KoyebApiException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the client does this, applications need it only in their own tests.
     *
     * @param details the request and the reply
     */
    public KoyebServerException(KoyebErrorDetails details) {
        super(details);
    }
}
