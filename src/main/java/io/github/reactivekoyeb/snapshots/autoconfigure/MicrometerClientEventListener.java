package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.ClientEventListener;
import io.github.reactivekoyeb.snapshots.RetryReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * The client's events as Micrometer counters: {@code koyeb.snapshots.retries} tagged
 * {@code reason} ({@code 503}, {@code 429}, {@code connect}, {@code timeout},
 * {@code connection_closed}), {@code koyeb.snapshots.retry.budget.exhausted} with the same tag
 * (failures not retried because the retry budget was exhausted) and {@code koyeb.snapshots.pages}.
 * Tags never hold an id or a token.
 */
public final class MicrometerClientEventListener implements ClientEventListener {

    /** Retries the client scheduled. */
    public static final String RETRIES = "koyeb.snapshots.retries";
    /** Pages of listings fetched. */
    public static final String PAGES = "koyeb.snapshots.pages";

    /** Failures not retried because the client's retry budget was exhausted, tagged {@code reason}: {@value}. */
    public static final String RETRY_BUDGET_EXHAUSTED = "koyeb.snapshots.retry.budget.exhausted";

    private final Counter pages;
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
}
