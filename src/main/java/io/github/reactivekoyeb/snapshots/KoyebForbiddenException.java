package io.github.reactivekoyeb.snapshots;

/**
 * The token is valid but may not access the resource (HTTP 403).
 *
 * @see KoyebApiException
 */
public class KoyebForbiddenException extends KoyebApiException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the client does this, applications need it only in their own tests.
     *
     * @param details the request and the reply
     */
    public KoyebForbiddenException(KoyebErrorDetails details) {
        super(details);
    }
}
