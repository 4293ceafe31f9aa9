package io.github.reactivekoyeb.snapshots.internal;

import org.jspecify.annotations.Nullable;

/**
 * A 2xx reply the client cannot read (not JSON, the wrong shape, a null element); the
 * {@link ExceptionFactory} makes it a {@code MALFORMED_RESPONSE} transport exception.
 */
final class MalformedReplyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MalformedReplyException(@Nullable String message) {
        super(message);
    }
}
