package io.github.reactivekoyeb.snapshots;

/**
 * Why a failed request is sent again (or would have been, but for the {@link RetryBudget}): what
 * {@link ClientEventListener} hears and the {@code reason} tag of the retry meters.
 */
public enum RetryReason {
    /** HTTP 503. */
    SERVICE_UNAVAILABLE("503"),
    /** HTTP 429. */
    RATE_LIMITED("429"),
    /** The connection could not be opened: nothing was sent. */
    CONNECT("connect"),
    /** No complete response within the response timeout (reads and deletes only). */
    TIMEOUT("timeout"),
    /** The connection closed before the reply was complete (reads and deletes only). */
    CONNECTION_CLOSED("connection_closed");

    private final String tag;

    RetryReason(String tag) {
        this.tag = tag;
    }

    /**
     * The low-cardinality name of the reason, as meters tag it.
     *
     * @return {@code 503}, {@code 429}, {@code connect}, {@code timeout} or {@code connection_closed}
     */
    public String tag() {
        return tag;
    }
}
