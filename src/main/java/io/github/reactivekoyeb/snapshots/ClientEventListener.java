package io.github.reactivekoyeb.snapshots;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Told about what the client does, for metrics: every retry it schedules, every page it
 * fetches, every repair of a consistent listing, every pass and event of a watch, every 429 and
 * every wait its {@link RateLimiter} imposes. The Spring
 * Boot auto-configuration turns these into the Micrometer counters {@code koyeb.snapshots.*}.
 *
 * <p>Called on the thread that saw the event, often an event loop: implementations must be
 * quick, thread-safe and must not block or throw. Nothing passed holds the token.
 */
public interface ClientEventListener {

    /** A listener that ignores everything; the default. */
    ClientEventListener NONE = new ClientEventListener() { };

    /**
     * A failed request is about to be sent again.
     *
     * @param method the HTTP method, e.g. {@code GET}
     * @param uriTemplate the path template, e.g. {@code /v1/snapshots/{id}} (never the raw id)
     * @param reason why it is sent again
     * @param retry 1 for the first retry, 2 for the second...
     * @param delay the wait before it is sent
     */
    default void onRetry(String method, String uriTemplate, RetryReason reason, int retry, Duration delay) {
    }

    /**
     * A page of a listing has been fetched (read-ahead pages included).
     *
     * @param offset the page's offset
     * @param snapshots how many snapshots it holds
     */
    default void onPage(long offset, int snapshots) {
    }

    /**
     * A failure that the retry policy would have retried was not, because the client's
     * {@link RetryBudget} was exhausted; the call ends with that failure. Called on the thread
     * that saw the failure; must not block.
     *
     * @param method the HTTP method, e.g. {@code GET}
     * @param uriTemplate the request's URI template, e.g. {@code /v1/snapshots/{id}}
     * @param reason why it would have been retried
     */
    default void onRetryBudgetExhausted(String method, String uriTemplate, RetryReason reason) {
    }

    /**
     * A consistent listing did not find its place in the page it read (more snapshots were removed
     * or created before it than its overlap covers) and sent a repair request for a wider window.
     *
     * @param offset the repair window's offset
     * @param attempt 1 for the first repair request in a row, 2 for the second...
     */
    default void onListingRepair(long offset, int attempt) {
    }

    /**
     * A pass of {@code watchSnapshots} ended.
     *
     * @param complete whether it listed everything (only a complete pass reports removals)
     * @param events how many events it emitted
     */
    default void onWatchPass(boolean complete, int events) {
    }

    /**
     * {@code watchSnapshots} emitted an event.
     *
     * @param type the event's type
     */
    default void onWatchEvent(SnapshotEvent.Type type) {
    }

    /**
     * The API refused a request with 429 (throttling); the client's {@link RateLimiter} heard of it.
     *
     * @param method the HTTP method, e.g. {@code GET}
     * @param uriTemplate the request's URI template, e.g. {@code /v1/snapshots/{id}}
     * @param retryAfter the {@code Retry-After} of the reply, or null
     * @param rate the limiter's rate after it, in requests per second
     *     ({@link Double#POSITIVE_INFINITY} for a limiter that does not limit)
     */
    default void onThrottled(String method, String uriTemplate, @Nullable Duration retryAfter, double rate) {
    }

    /**
     * A request waited for a permit of the client's {@link RateLimiter} before it was sent (not
     * called for requests sent at once).
     *
     * @param method the HTTP method, e.g. {@code GET}
     * @param uriTemplate the request's URI template, e.g. {@code /v1/snapshots/{id}}
     * @param wait how long it was held
     */
    default void onRateLimitWait(String method, String uriTemplate, Duration wait) {
    }
}
