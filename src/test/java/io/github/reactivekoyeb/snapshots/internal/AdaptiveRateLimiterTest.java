package io.github.reactivekoyeb.snapshots.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.RateLimitSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The adaptive limiter's mechanics, in virtual time. */
class AdaptiveRateLimiterTest {

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    private AdaptiveRateLimiter limiter(Duration maxWait) {
        return new AdaptiveRateLimiter(RateLimitSettings.builder().maxWait(maxWait).build(), time);
    }

    /** Subscribes to a permit; the reference holds what it emitted, "refused" for empty. */
    private static AtomicReference<Object> ask(AdaptiveRateLimiter limiter) {
        AtomicReference<Object> outcome = new AtomicReference<>();
        limiter.permit().subscribe(outcome::set, outcome::set, () -> outcome.compareAndSet(null, "refused"));
        return outcome;
    }

    @Test
    void isFreeUntilTheFirst429() {
        AdaptiveRateLimiter limiter = limiter(Duration.ofSeconds(30));
        for (int i = 0; i < 1_000; i++) {
            assertThat(limiter.permit()).isSameAs(AdaptiveRateLimiter.AT_ONCE);
            limiter.onAdmitted();
        }
        assertThat(limiter.rate()).isInfinite();
        limiter.onThrottled(null);
        assertThat(limiter.rate()).isFinite();
        assertThat(limiter.permit()).isNotSameAs(AdaptiveRateLimiter.AT_ONCE);
    }

    @Test
    void afterTwo429sWithoutRetryAfterTheQueueIsDrainedAtTheLowestRate() {
        AdaptiveRateLimiter limiter = limiter(Duration.ofSeconds(30));
        limiter.onAdmitted();
        limiter.onThrottled(null);
        limiter.onThrottled(null);
        List<AtomicReference<Object>> asked = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            asked.add(ask(limiter));
        }
        time.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(asked).allSatisfy(o -> assertThat(o.get()).isInstanceOf(Duration.class));
    }
}
