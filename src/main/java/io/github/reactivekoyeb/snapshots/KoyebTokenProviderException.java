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
     * @param method the HTTP method of the request
     * @param path the request path, without the query
     * @param attempts how many requests the call had sent
     * @param cause the provider's error, or null
     */
    public KoyebTokenProviderException(String detail, String method, String path, int attempts,
            @Nullable Throwable cause) {
        super(method + ' ' + path + ": the token provider " + detail, method, path, attempts, cause);
    }
}
