package io.github.reactivekoyeb.snapshots.testing;

import java.time.Clock;
import java.time.Instant;

/**
 * The fake server's rate limit, as an API gateway keeps one: a token bucket of one second's worth,
 * full at the start, refilled continuously; a request that finds no token is answered 429 with
 * {@code Retry-After: 1}. Off until a limit is set; the limit can change while the server runs.
 * Thread-safe.
 */
final class FakeRateLimit {

    /** The answer to a request over the limit. */
    static final FakeResponse THROTTLED = FakeResponse.json(429,
            "{\"status\":429,\"code\":\"rate_limited\",\"message\":\"Too many requests\"}").withRetryAfter("1");

    private final Clock clock;
    private double perSecond; // 0: no limit
    private double tokens;
    private long refilledAt;
    private long throttled;
    private long admitted;

    FakeRateLimit(Clock clock, double perSecond) {
        this.clock = clock;
        limit(perSecond);
    }

    /** Sets the limit (0 for none); a first limit starts with a full bucket, a changed one keeps its tokens. */
    synchronized void limit(double requestsPerSecond) {
        long now = nanos();
        if (perSecond == 0) {
            tokens = requestsPerSecond;
        } else {
            refill(now);
            tokens = Math.min(tokens, requestsPerSecond);
        }
        refilledAt = now;
        perSecond = requestsPerSecond;
    }

    /** Takes a token for one request, or tells that there is none. */
    synchronized boolean admit() {
        if (perSecond == 0) {
            admitted++;
            return true;
        }
        refill(nanos());
        if (tokens >= 1) {
            tokens -= 1;
            admitted++;
            return true;
        }
        throttled++;
        return false;
    }

    synchronized long throttled() {
        return throttled;
    }

    synchronized long admitted() {
        return admitted;
    }

    /** As built: this limit (0 for none) with a full bucket, and both counts at 0. */
    synchronized void reset(double requestsPerSecond) {
        perSecond = requestsPerSecond;
        tokens = requestsPerSecond;
        refilledAt = nanos();
        clearCounts();
    }

    synchronized void clearCounts() {
        throttled = 0;
        admitted = 0;
    }

    private void refill(long now) {
        tokens = Math.min(perSecond, tokens + (now - refilledAt) / 1e9 * perSecond);
        refilledAt = now;
    }

    private long nanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
