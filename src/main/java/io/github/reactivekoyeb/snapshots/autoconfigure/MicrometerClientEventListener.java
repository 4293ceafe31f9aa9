package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.ClientEventListener;
import io.github.reactivekoyeb.snapshots.RetryReason;
import io.github.reactivekoyeb.snapshots.SnapshotEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Locale;

/**
 * The client's events as Micrometer counters: {@code koyeb.snapshots.retries} tagged
 * {@code reason} ({@code 503}, {@code 429}, {@code connect}, {@code timeout},
 * {@code connection_closed}), {@code koyeb.snapshots.retry.budget.exhausted} with the same tag
 * (failures not retried because the retry budget was exhausted), {@code koyeb.snapshots.pages},
 * {@code koyeb.snapshots.listing.repairs} (consistent listings), and for watches
 * {@code koyeb.snapshots.watch.passes} tagged {@code outcome} and {@code koyeb.snapshots.watch.events}
 * tagged {@code type}. Every tag value is registered at zero. Tags never hold an id or a token.
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

    private final Counter pages;
    private final Counter repairs;
    private final Counter completePasses;
    private final Counter incompletePasses;
    private final Counter[] events = new Counter[SnapshotEvent.Type.values().length];
    // by RetryReason.ordinal(), every reason registered up front
    private final Counter[] retries = new Counter[RetryReason.values().length];
    private final Counter[] budgetExhausted = new Counter[RetryReason.values().length];

    /**
     * Registers the counters on the registry, one per {@link RetryReason} at zero.
     *
     * @param registry the application's registry
     */
    public MicrometerClientEventListener(MeterRegistry registry) {
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
}
