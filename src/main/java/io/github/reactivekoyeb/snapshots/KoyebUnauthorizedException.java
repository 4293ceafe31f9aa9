package io.github.reactivekoyeb.snapshots;

/**
 * The token is missing, invalid or expired (HTTP 401).
 *
 * @see KoyebApiException
 */
public class KoyebUnauthorizedException extends KoyebApiException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the client does this, applications need it only in their own tests.
     *
     * @param details the request and the reply
     */
    public KoyebUnauthorizedException(KoyebErrorDetails details) {
        super(details);
    }
}
