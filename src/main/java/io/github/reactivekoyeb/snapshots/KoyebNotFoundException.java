package io.github.reactivekoyeb.snapshots;

/**
 * The snapshot (or the resource named by the path) does not exist (HTTP 404).
 *
 * @see KoyebApiException
 */
public class KoyebNotFoundException extends KoyebApiException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the client does this, applications need it only in their own tests.
     *
     * @param details the request and the reply
     */
    public KoyebNotFoundException(KoyebErrorDetails details) {
        super(details);
    }
}
