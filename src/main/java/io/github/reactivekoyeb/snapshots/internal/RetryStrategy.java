package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.ClientEventListener;
import io.github.reactivekoyeb.snapshots.KoyebApiException;
import io.github.reactivekoyeb.snapshots.KoyebRateLimitException;
import io.github.reactivekoyeb.snapshots.KoyebServiceUnavailableException;
import io.github.reactivekoyeb.snapshots.KoyebTransportException;
import io.github.reactivekoyeb.snapshots.RetryBudget;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.RetryReason;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The one place that decides whether a failed try is sent again and after how long.
 *
 * <p>Reactor's {@code Retry.backoff} cannot take the delay from the failure ({@code Retry-After})
 * and wraps the last failure in its own exception; this strategy emits the last failure itself.
 * Delays run on {@link Schedulers#parallel()}, so virtual-time tests need no real waiting.
 *
 * <p>A retry that the policy allows must also be paid for from the client's
 * {@link RetryTokenBucket}; when it cannot be, the failure ends the call at once, marked as
 * refused by the budget. The cost of the last retry paid is kept in {@code lastRetryCost}, so
 * that the call's success can pay it back.
 */
final class RetryStrategy {

    private static final Log log = LogFactory.getLog("io.github.reactivekoyeb.snapshots.http");

    /** Told about every retry before its wait starts; for logs and metrics. */
    interface Listener {
        Listener NONE = (request, reason, retry, delay) -> { };

        void onRetry(ApiRequest request, RetryReason reason, long retry, Duration delay);

        /** A retry the policy allowed was refused by the budget. */
        default void onRetryBudgetExhausted(ApiRequest request, RetryReason reason) {
        }

        /** Logs each event at DEBUG and passes it on to the application's listener. */
        static Listener logging(ClientEventListener listener) {
            return new Listener() {
                @Override
                public void onRetry(ApiRequest request, RetryReason reason, long retry, Duration delay) {
                    if (log.isDebugEnabled()) {
                        log.debug(request.method() + " " + request.uriTemplate() + ": retry " + retry + " ("
                                + reason.tag() + ") in " + delay.toMillis() + " ms");
                    }
                    listener.onRetry(request.method().name(), request.uriTemplate(), reason, (int) retry, delay);
                }

                @Override
                public void onRetryBudgetExhausted(ApiRequest request, RetryReason reason) {
                    if (log.isDebugEnabled()) {
                        log.debug(request.method() + " " + request.uriTemplate() + ": not retried (" + reason.tag()
                                + "), the retry budget is exhausted");
                    }
                    listener.onRetryBudgetExhausted(request.method().name(), request.uriTemplate(), reason);
                }
            };
        }
    }

    private final RetryPolicy policy;
    private final ApiRequest request;
    private final Listener listener;
    private final DoubleSupplier random;
    private final RetryTokenBucket bucket;
    private final AtomicInteger lastRetryCost;

    RetryStrategy(RetryPolicy policy, ApiRequest request, Listener listener, RetryTokenBucket bucket,
            AtomicInteger lastRetryCost, DoubleSupplier random) {
        this.policy = policy;
        this.request = request;
        this.listener = listener;
        this.bucket = bucket;
        this.lastRetryCost = lastRetryCost;
        this.random = random;
    }

    /** Without a client-wide budget, for tests of the policy alone. */
    RetryStrategy(RetryPolicy policy, ApiRequest request, Listener listener, DoubleSupplier random) {
        this(policy, request, listener, new RetryTokenBucket(RetryBudget.unlimited()), new AtomicInteger(), random);
    }

    RetryStrategy(RetryPolicy policy, ApiRequest request, Listener listener, RetryTokenBucket bucket,
            AtomicInteger lastRetryCost) {
        this(policy, request, listener, bucket, lastRetryCost, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * {@code once}, subscribed again after each failure that this strategy retries, once its
     * delay has passed; else the failure (marked when the budget refused it). Not Reactor's
     * {@code retryWhen}, which builds a companion (a sink, a {@code concatMap}) for each call,
     * success or not (see docs/performance.md): until a try fails,
     * this adds one operator. Each call to it starts the policy's {@code maxElapsed} clock.
     */
    <T> Mono<T> retrying(Mono<T> once) {
        return again(once, 0, System.nanoTime());
    }

    private <T> Mono<T> again(Mono<T> once, long retriesSoFar, long startNanos) {
        return once.onErrorResume(failure -> {
            Object next = next(failure, retriesSoFar, startNanos);
            if (next instanceof Duration delay) {
                return Mono.delay(delay, Schedulers.parallel()).then(Mono.defer(() -> again(once, retriesSoFar + 1, startNanos)));
            }
            return Mono.error((Throwable) next);
        });
    }

    /** After a failed try: the {@code Duration} to wait before the next, or the {@code Throwable} to end with. */
    private Object next(Throwable failure, long retriesSoFar, long startNanos) {
        RetryReason reason = reasonToRetry(failure, request.resendable());
        if (reason == null || retriesSoFar >= policy.maxRetries()) {
            return failure;
        }
        Duration retryAfter = failure instanceof KoyebApiException api ? api.retryAfter().orElse(null) : null;
        Duration delay = delayBeforeRetry(policy, retriesSoFar, retryAfter, random);
        Duration budget = policy.maxElapsed().orElse(null);
        if (budget != null && Duration.ofNanos(System.nanoTime() - startNanos).plus(delay).compareTo(budget) > 0) {
            return failure;
        }
        int cost = bucket.costOf(reason);
        if (!bucket.tryAcquire(cost)) {
            listener.onRetryBudgetExhausted(request, reason);
            return ExceptionFactory.withRetryBudgetExhausted(failure);
        }
        lastRetryCost.set(cost);
        listener.onRetry(request, reason, retriesSoFar + 1, delay);
        return delay;
    }

    /**
     * Whether a failure may be retried, and why.
     *
     * @param failure what the try ended with
     * @param resendable whether the request may be sent again after it may have reached the
     *     server (GET, DELETE), as opposed to create and update
     * @return the reason, or null when it must not be retried
     */
    static @Nullable RetryReason reasonToRetry(Throwable failure, boolean resendable) {
        if (failure instanceof KoyebServiceUnavailableException) {
            return RetryReason.SERVICE_UNAVAILABLE;
        }
        if (failure instanceof KoyebRateLimitException limited) {
            // the client's own limiter refused to wait that long: sending again would wait as long
            return limited.refusedByClient() ? null : RetryReason.RATE_LIMITED;
        }
        if (failure instanceof KoyebTransportException transport) {
            switch (transport.reason()) {
                case CONNECT:
                    return RetryReason.CONNECT;
                case RESPONSE_TIMEOUT:
                    return resendable ? RetryReason.TIMEOUT : null;
                case CONNECTION_CLOSED:
                    return resendable ? RetryReason.CONNECTION_CLOSED : null;
                default:
                    return null;
            }
        }
        return null;
    }

    /**
     * The wait before retry {@code retry} (0-based): the server's {@code Retry-After} capped by
     * {@code maxBackoff} when there is one, else a uniform draw from {@code [b/2, b]} with
     * {@code b = min(maxBackoff, initialBackoff * 2^retry)}.
     */
    static Duration delayBeforeRetry(RetryPolicy policy, long retry, @Nullable Duration retryAfter,
            DoubleSupplier random) {
        long maxNanos = policy.maxBackoff().toNanos();
        if (retryAfter != null) {
            return Duration.ofNanos(Math.min(retryAfter.toNanos(), maxNanos));
        }
        long base = policy.initialBackoff().toNanos();
        for (long i = 0; i < retry && base < maxNanos; i++) {
            base = base > maxNanos / 2 ? maxNanos : base * 2;
        }
        base = Math.min(base, maxNanos);
        long half = base / 2;
        return Duration.ofNanos(half + (long) (random.getAsDouble() * (base - half)));
    }
}
