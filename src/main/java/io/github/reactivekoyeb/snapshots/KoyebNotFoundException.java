package io.github.reactivekoyeb.snapshots;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

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
     * @param statusCode the HTTP status
     * @param method the HTTP method, e.g. {@code GET}
     * @param path the request path without the query
     * @param errorCode the {@code code} of the error body, or null
     * @param errorMessage the {@code message} of the error body, or null
     * @param bodySnippet the start of the body, or null for none
     * @param attempts how many requests were sent for this outcome
     * @param retryAfter the wait the server asked for in {@code Retry-After}, or null
     */
    public KoyebNotFoundException(int statusCode, String method, String path, @Nullable String errorCode,
            @Nullable String errorMessage, @Nullable String bodySnippet, int attempts, @Nullable Duration retryAfter) {
        super(statusCode, method, path, errorCode, errorMessage, bodySnippet, attempts, retryAfter);
    }
}
