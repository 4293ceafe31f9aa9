package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.ClientEventListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

    private final MeterRegistry registry;
    private final Counter pages;
    private final Map<String, Counter> retries = new ConcurrentHashMap<>();
    private final Map<String, Counter> budgetExhausted = new ConcurrentHashMap<>();

    /**
     * Registers the counters (the documented retry reasons at zero) on the registry.
     *
     * @param registry the application's registry
     */
    public MicrometerClientEventListener(MeterRegistry registry) {
        this.registry = registry;
        this.pages = Counter.builder(PAGES).description("Pages of snapshot listings fetched").register(registry);
        for (String reason : new String[] {"503", "429", "connect"}) {
            retryCounter(reason);
            budgetExhaustedCounter(reason);
        }
    }

    private Counter retryCounter(String reason) {
        return retries.computeIfAbsent(reason, r -> Counter.builder(RETRIES)
                .description("Requests to the Koyeb Snapshots API sent again, by reason")
                .tag("reason", r)
                .register(registry));
    }

    private Counter budgetExhaustedCounter(String reason) {
        return budgetExhausted.computeIfAbsent(reason, r -> Counter.builder(RETRY_BUDGET_EXHAUSTED)
                .description("Failures not retried because the client's retry budget was exhausted, by reason")
                .tag("reason", r)
                .register(registry));
    }

    @Override
    public void onRetryBudgetExhausted(String method, String uriTemplate, String reason) {
        budgetExhaustedCounter(reason).increment();
    }

    @Override
    public void onRetry(String method, String uriTemplate, String reason, int retry, Duration delay) {
        retryCounter(reason).increment();
    }

    @Override
    public void onPage(long offset, int snapshots) {
        pages.increment();
    }
}
