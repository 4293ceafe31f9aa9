package io.github.reactivekoyeb.snapshots;

import org.jspecify.annotations.Nullable;

/**
 * The {@link TokenProvider} did not give a usable token for a request: it failed (its error is the
 * cause), completed empty, or gave a blank token or one with a control character. Nothing was
 * sent for the request it was asked for; {@link #attempts()} counts what the call sent before.
 * Not retried. The message never quotes what the provider returned.
 */
public class KoyebTokenProviderException extends KoyebException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param detail what was wrong, without the token
     * @param details the request it was asked for, and the requests the call had sent
     * @param cause the provider's error, or null
     */
    public KoyebTokenProviderException(String detail, KoyebErrorDetails details, @Nullable Throwable cause) {
        super(details.method() + ' ' + details.path() + ": the token provider " + detail, details, cause);
    }
}
