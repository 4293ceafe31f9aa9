package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.RetryBudget;
import io.github.reactivekoyeb.snapshots.RetryReason;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client's {@link RetryBudget}: the tokens its retries take and its successes put back.
 * Lock-free; safe on any thread, event loops included.
 *
 * <p>With a rate limiter that paces the client's requests, a retry of a 429 is free: the limiter
 * has lowered the rate and holds the retry until the API admits it, so it adds no load; a real
 * outage (503s, broken connections) still drains the budget.
 */
final class RetryTokenBucket {

    private final RetryBudget budget;
    private final AtomicInteger tokens;
    private final boolean rateLimited;

    RetryTokenBucket(RetryBudget budget, boolean rateLimited) {
        this.budget = budget;
        this.tokens = new AtomicInteger(budget.maxTokens());
        this.rateLimited = rateLimited;
    }

    RetryTokenBucket(RetryBudget budget) {
        this(budget, false);
    }

    /** The tokens a retry for this reason takes. */
    int costOf(RetryReason reason) {
        if (reason == RetryReason.RATE_LIMITED && rateLimited) {
            return 0;
        }
        return reason == RetryReason.TIMEOUT || reason == RetryReason.CONNECTION_CLOSED
                ? budget.timeoutCost() : budget.retryCost();
    }

    /** Takes {@code cost} tokens if there are that many; an unlimited budget always has them. */
    boolean tryAcquire(int cost) {
        if (budget.isUnlimited()) {
            return true;
        }
        while (true) {
            int now = tokens.get();
            if (now < cost) {
                return false;
            }
            if (tokens.compareAndSet(now, now - cost)) {
                return true;
            }
        }
    }

    /**
     * A call succeeded: puts back what its last retry took, or the success refill when it was
     * not retried; never beyond the capacity.
     *
     * @param lastRetryCost the tokens the call's last retry took, 0 when it was not retried
     */
    void onSuccess(int lastRetryCost) {
        if (budget.isUnlimited()) {
            return;
        }
        int refill = lastRetryCost > 0 ? lastRetryCost : budget.successRefill();
        if (refill > 0) {
            tokens.accumulateAndGet(refill, (now, add) -> Math.min(budget.maxTokens(), now + add));
        }
    }
}
