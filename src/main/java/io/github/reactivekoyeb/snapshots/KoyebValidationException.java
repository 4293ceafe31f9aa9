package io.github.reactivekoyeb.snapshots;

import java.util.List;

/**
 * The server rejected the request as invalid (HTTP 400); {@link #fields()} names the invalid
 * fields when the body is an {@code ErrorWithFields}. Never retried.
 *
 * @see KoyebApiException
 */
public class KoyebValidationException extends KoyebApiException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the client does this, applications need it only in their own tests.
     *
     * @param details the request and the reply, with the invalid fields the body named
     */
    public KoyebValidationException(KoyebErrorDetails details) {
        super(details);
    }

    /**
     * The invalid fields the server named.
     *
     * @return an unmodifiable list, empty when the body named none
     */
    public List<ErrorField> fields() {
        return details().fields();
    }
}
