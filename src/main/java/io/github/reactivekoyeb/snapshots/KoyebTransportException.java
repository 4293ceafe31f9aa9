package io.github.reactivekoyeb.snapshots;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * No usable reply arrived: the connection could not be opened, the response did not come within
 * the response timeout, the connection closed before the reply was complete, or the reply was
 * not the JSON the API documents.
 *
 * <p>{@link #reason()} says which. Retries follow the {@link RetryPolicy}: a connection that could not be opened is retried for every
 * operation, a failure after the request was sent only for reads (and deletes), never for
 * {@code createSnapshot} or {@code updateSnapshot}.
 */
public class KoyebTransportException extends KoyebException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /**
         * The connection could not be opened (refused, connect timeout, unknown host, or no pooled
         * connection could be had in time): nothing was sent.
         */
        CONNECT,
        /** The proxy refused to open the tunnel (407 for missing or wrong credentials, or another status); not retried. */
        PROXY,
        /**
         * The TLS handshake failed (for example a certificate that is not trusted): nothing was sent,
         * and it is not retried, since trying again would fail the same way.
         */
        TLS_HANDSHAKE,
        /** The reply did not arrive in full within the response timeout; the request may have reached the server. */
        RESPONSE_TIMEOUT,
        /** The connection was closed or reset after the request was sent, before the reply was complete. */
        CONNECTION_CLOSED,
        /** The reply arrived but is not the JSON the API documents (not JSON, wrong shape, empty). */
        MALFORMED_RESPONSE,
        /** The reply body is larger than the client's in-memory limit. */
        RESPONSE_TOO_LARGE
    }

    /** What went wrong on the connection. */
    private final Reason reason;
    /** The description of the failure. */
    private final String detail;

    /**
     * Creates the exception; the client does this, applications need it only in their own tests.
     *
     * @param reason what went wrong
     * @param detail a description of the failure, without the token
     * @param details the request and, for a malformed or too large reply, its status
     * @param cause the underlying failure, or null
     */
    public KoyebTransportException(Reason reason, String detail, KoyebErrorDetails details, @Nullable Throwable cause) {
        super(details.method() + ' ' + details.path() + " failed: " + detail + afterAttempts(details.attempts()), details,
                cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.detail = detail;
    }

    /**
     * What went wrong.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    /**
     * The description of the failure, as the message has it without the method, path and attempts.
     *
     * @return e.g. {@code could not connect (ConnectException: Connection refused)}
     */
    public String detail() {
        return detail;
    }

    /**
     * The HTTP status of the reply, when one arrived (a malformed or too large body).
     *
     * @return the status, or 0 when no reply arrived
     */
    public int statusCode() {
        return details().statusCode();
    }
}
