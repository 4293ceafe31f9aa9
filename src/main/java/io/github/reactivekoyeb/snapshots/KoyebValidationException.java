package io.github.reactivekoyeb.snapshots;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The server rejected the request as invalid (HTTP 400); {@link #fields()} names the invalid
 * fields when the body is an {@code ErrorWithFields}. Never retried.
 *
 * @see KoyebApiException
 */
public class KoyebValidationException extends KoyebApiException {

    private static final long serialVersionUID = 1L;

    /** The fields the API rejected, in its order. */
    private final List<ErrorField> fields;

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
     * @param fields the invalid fields named by the body
     */
    public KoyebValidationException(int statusCode, String method, String path, @Nullable String errorCode,
            @Nullable String errorMessage, @Nullable String bodySnippet, int attempts, @Nullable Duration retryAfter,
            List<ErrorField> fields) {
        super(statusCode, method, path, errorCode, errorMessage, bodySnippet, attempts, retryAfter);
        this.fields = List.copyOf(fields);
    }

    /**
     * The invalid fields the server named.
     *
     * @return an unmodifiable list, empty when the body named none
     */
    public List<ErrorField> fields() {
        return fields;
    }
}
