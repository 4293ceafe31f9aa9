package io.github.reactivekoyeb.snapshots;

import io.github.reactivekoyeb.snapshots.internal.AdaptiveRateLimiter;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * How fast a client sends, shared by every call, listing and waiter of the clients given the same
 * instance ({@link ReactiveSnapshotsClient.Builder#rateLimiter(RateLimiter)}; each client gets an
 * {@link #adaptive()} one of its own by default).
 *
 * <p>The {@linkplain #adaptive() adaptive} limiter costs nothing until the API answers 429; then it
 * lowers the sending rate of all the calls it paces to what the API admitted, pauses them all for
 * the {@code Retry-After} the API asked for, and raises the rate again as requests succeed (a
 * cubic curve, as AWS SDK v2's adaptive retry mode does). Waiting for a permit is a non-blocking
 * delay; a call that would wait longer than the {@linkplain RateLimitSettings#maxWait() maximum
 * wait} fails at once with {@link KoyebRateLimitException}, and a call cancelled while it waits
 * sends nothing. Retries of a 429 that it paces do not draw from the {@link RetryBudget}.
 *
 * <p>An application may implement it (a limiter shared by several services, say); the client calls
 * it on event loops: every method must be thread-safe, quick and non-blocking.
 */
public interface RateLimiter {

    /** A limiter that never waits and hears nothing: every request is sent at once. */
    RateLimiter NONE = new RateLimiter() {
        @Override
        public Mono<Duration> permit() {
            return Mono.just(Duration.ZERO);
        }

        @Override
        public boolean paces() {
            return false;
        }

        @Override
        public String toString() {
            return "RateLimiter.NONE";
        }
    };

    /**
     * An adaptive limiter with the default settings ({@link RateLimitSettings#defaults()}).
     *
     * @return a new limiter, with state of its own
     */
    static RateLimiter adaptive() {
        return adaptive(RateLimitSettings.defaults());
    }

    /**
     * An adaptive limiter with these settings.
     *
     * @param settings the maximum wait, the lowest rate, how deep a decrease goes
     * @return a new limiter, with state of its own
     */
    static RateLimiter adaptive(RateLimitSettings settings) {
        return new AdaptiveRateLimiter(settings);
    }

    /**
     * A permit for one request. The client subscribes to it before each try (retries and the
     * resend after a 401 included) and sends the request when it emits.
     *
     * <p>Cancelling the subscription gives up the permit's place: the request is not sent.
     *
     * @return a Mono that emits how long the request waited ({@link Duration#ZERO} when it need
     *     not wait), or completes empty when it would wait longer than {@link #maxWait()}: the
     *     client then fails the call with {@link KoyebRateLimitException} at once, without sending
     *     it; it never signals an error
     */
    Mono<Duration> permit();

    /**
     * Whether this limiter paces requests at all. The client asks a limiter that does not for no
     * permit, and its retries of a 429 draw from the {@link RetryBudget}
     * as any retry does (those of a limiter that paces do not: the limiter is their bound).
     *
     * @return true by default; false for {@link #NONE}
     */
    default boolean paces() {
        return true;
    }

    /**
     * A permit now, if one is free without waiting: the client then sends at once and does not
     * subscribe to {@link #permit()}. The fast path of a limiter that is not limiting (the
     * adaptive one until a 429): no {@code Mono} per request.
     *
     * @return true when the request may go now (the limiter counts it as sent); false, the default,
     *     when the client must ask {@link #permit()}
     */
    default boolean tryPermitNow() {
        return false;
    }

    /**
     * The API refused a request with 429; by default nothing.
     *
     * @param retryAfter the wait it asked for, or null
     */
    default void onThrottled(@Nullable Duration retryAfter) {
    }

    /** The API admitted a request (any reply but a 429); by default nothing. */
    default void onAdmitted() {
    }

    /**
     * The rate requests are sent at now.
     *
     * @return requests per second, {@link Double#POSITIVE_INFINITY} while it does not limit (the
     *     default)
     */
    default double rate() {
        return Double.POSITIVE_INFINITY;
    }

    /**
     * The longest a request may wait for a permit before it fails instead, as the message of that
     * failure tells it.
     *
     * @return the wait; by default {@link Duration#ZERO}, for a limiter that never refuses
     */
    default Duration maxWait() {
        return Duration.ZERO;
    }
}
