package io.github.reactivekoyeb.snapshots.internal;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Where a {@link SharedRateLimiter}'s fleet-wide state lives (Redis, for {@code RedisRateLimiter}):
 * one atomic decision per call, never blocking, and each call bounded in time by the budget itself
 * (an error signal when it is not answered in time).
 */
public interface SharedBudget {

    /**
     * Takes up to {@code wanted} slots (0: only reads the state).
     *
     * @param wanted the slots wanted
     * @param maxWait the longest wait a slot may have
     * @param admitted the admissions this replica met since its last report
     * @return the decision
     */
    Mono<Decision> reserve(int wanted, Duration maxWait, long admitted);

    /**
     * Reports the 429s met since the last report.
     *
     * @param met how many (at least one)
     * @param retryAfter the longest pause they asked for, or null
     * @param admitted the admissions this replica met since its last report
     * @param replicaRate the rate this replica was admitted at, its share of the first cut
     * @return the decision, with no slot
     */
    Mono<Decision> throttled(int met, @Nullable Duration retryAfter, long admitted, double replicaRate);

    /**
     * Which budget, for logs: never the token.
     *
     * @return a description
     */
    String describe();

    /**
     * One decision of the budget.
     *
     * @param limiting whether the budget limits
     * @param granted the slots granted
     * @param firstWait the wait before the first slot
     * @param interval the time between slots
     * @param rate the fleet's rate, requests per second (0 when free)
     * @param pause the pause left
     */
    public record Decision(boolean limiting, int granted, Duration firstWait, Duration interval, double rate,
            Duration pause) {
    }
}
