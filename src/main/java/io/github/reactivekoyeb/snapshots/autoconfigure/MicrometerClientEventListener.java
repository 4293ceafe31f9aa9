package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.ClientEventListener;
import io.github.reactivekoyeb.snapshots.RateLimiter;
import io.github.reactivekoyeb.snapshots.RetryReason;
import io.github.reactivekoyeb.snapshots.SnapshotEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The client's events as Micrometer counters: {@code koyeb.snapshots.retries} tagged
 * {@code reason} ({@code 503}, {@code 429}, {@code connect}, {@code timeout},
 * {@code connection_closed}), {@code koyeb.snapshots.retry.budget.exhausted} with the same tag
 * (failures not retried because the retry budget was exhausted), {@code koyeb.snapshots.pages},
 * {@code koyeb.snapshots.listing.repairs} (consistent listings), and for watches
 * {@code koyeb.snapshots.watch.passes} tagged {@code outcome} and {@code koyeb.snapshots.watch.events}
 * tagged {@code type}; for the rate limiter, {@code koyeb.snapshots.throttled} (429s from the
 * API), the timer {@code koyeb.snapshots.rate.limit.wait} (how long requests waited for a permit)
 * and, given the limiter, the gauge {@code koyeb.snapshots.rate.limit} (its rate in requests per
 * second, NaN while it does not limit). Every tag value is registered at zero. Tags never hold an
 * id or a token.
 */
public final class MicrometerClientEventListener implements ClientEventListener {

    /** Retries the client scheduled. */
    public static final String RETRIES = "koyeb.snapshots.retries";
    /** Pages of listings fetched. */
    public static final String PAGES = "koyeb.snapshots.pages";

    /** Failures not retried because the client's retry budget was exhausted, tagged {@code reason}: {@value}. */
    public static final String RETRY_BUDGET_EXHAUSTED = "koyeb.snapshots.retry.budget.exhausted";
    /** Repair requests of consistent listings that lost their place: {@value}. */
    public static final String LISTING_REPAIRS = "koyeb.snapshots.listing.repairs";
    /** Passes of watches, tagged {@code outcome} ({@code complete} or {@code incomplete}): {@value}. */
    public static final String WATCH_PASSES = "koyeb.snapshots.watch.passes";
    /** Events of watches, tagged {@code type} ({@code added}, {@code modified}, {@code removed}): {@value}. */
    public static final String WATCH_EVENTS = "koyeb.snapshots.watch.events";
    /** Requests the API refused with 429: {@value}. */
    public static final String THROTTLED = "koyeb.snapshots.throttled";
    /** A timer of the waits for a permit of the rate limiter: {@value}. */
    public static final String RATE_LIMIT_WAIT = "koyeb.snapshots.rate.limit.wait";
    /** A gauge of the rate limiter's rate, requests per second (NaN while it does not limit): {@value}. */
    public static final String RATE_LIMIT = "koyeb.snapshots.rate.limit";

    private final Counter pages;
    private final Counter repairs;
    private final Counter completePasses;
    private final Counter incompletePasses;
    private final Counter throttled;
    private final Timer rateLimitWaits;
    private final Counter[] events = new Counter[SnapshotEvent.Type.values().length];
    // by RetryReason.ordinal(), every reason registered up front
    private final Counter[] retries = new Counter[RetryReason.values().length];
    private final Counter[] budgetExhausted = new Counter[RetryReason.values().length];

    /**
     * Registers the counters on the registry, one per {@link RetryReason} at zero, without the
     * gauge of a rate limiter's rate.
     *
     * @param registry the application's registry
     */
    public MicrometerClientEventListener(MeterRegistry registry) {
        this(registry, null);
    }

    /**
     * Registers the counters on the registry, one per {@link RetryReason} at zero, and the gauge
     * {@value #RATE_LIMIT} of this limiter's rate (none for a limiter that does not pace, such as {@link RateLimiter#NONE}).
     *
     * @param registry the application's registry
     * @param rateLimiter the client's rate limiter, or null for no gauge
     */
    public MicrometerClientEventListener(MeterRegistry registry, @Nullable RateLimiter rateLimiter) {
        this.throttled = Counter.builder(THROTTLED).description("Requests the Koyeb API refused with 429")
                .register(registry);
        this.rateLimitWaits = Timer.builder(RATE_LIMIT_WAIT)
                .description("Time requests waited for a permit of the client's rate limiter").register(registry);
        if (rateLimiter != null && rateLimiter.paces()) {
            Gauge.builder(RATE_LIMIT, rateLimiter, l -> Double.isInfinite(l.rate()) ? Double.NaN : l.rate())
                    .description("The client's sending rate, requests per second (NaN while it does not limit)")
                    .baseUnit("requests/s").register(registry);
        }
        this.pages = Counter.builder(PAGES).description("Pages of snapshot listings fetched").register(registry);
        this.repairs = Counter.builder(LISTING_REPAIRS)
                .description("Repair requests of consistent listings that lost their place").register(registry);
        this.completePasses = Counter.builder(WATCH_PASSES).description("Passes of snapshot watches, by outcome")
                .tag("outcome", "complete").register(registry);
        this.incompletePasses = Counter.builder(WATCH_PASSES).description("Passes of snapshot watches, by outcome")
                .tag("outcome", "incomplete").register(registry);
        for (SnapshotEvent.Type type : SnapshotEvent.Type.values()) {
            events[type.ordinal()] = Counter.builder(WATCH_EVENTS).description("Events of snapshot watches, by type")
                    .tag("type", type.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        for (RetryReason reason : RetryReason.values()) {
            retries[reason.ordinal()] = Counter.builder(RETRIES)
                    .description("Requests to the Koyeb Snapshots API sent again, by reason")
                    .tag("reason", reason.tag())
                    .register(registry);
            budgetExhausted[reason.ordinal()] = Counter.builder(RETRY_BUDGET_EXHAUSTED)
                    .description("Failures not retried because the client's retry budget was exhausted, by reason")
                    .tag("reason", reason.tag())
                    .register(registry);
        }
    }

    @Override
    public void onRetryBudgetExhausted(String method, String uriTemplate, RetryReason reason) {
        budgetExhausted[reason.ordinal()].increment();
    }

    @Override
    public void onRetry(String method, String uriTemplate, RetryReason reason, int retry, Duration delay) {
        retries[reason.ordinal()].increment();
    }

    @Override
    public void onPage(long offset, int snapshots) {
        pages.increment();
    }

    @Override
    public void onListingRepair(long offset, int attempt) {
        repairs.increment();
    }

    @Override
    public void onWatchPass(boolean complete, int events) {
        (complete ? completePasses : incompletePasses).increment();
    }

    @Override
    public void onWatchEvent(SnapshotEvent.Type type) {
        events[type.ordinal()].increment();
    }

    @Override
    public void onThrottled(String method, String uriTemplate, @Nullable Duration retryAfter, double rate) {
        throttled.increment();
    }

    @Override
    public void onRateLimitWait(String method, String uriTemplate, Duration wait) {
        rateLimitWaits.record(wait);
    }
}
