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
    void isFreeUntilA429ThatIsNotStray() {
        AdaptiveRateLimiter limiter = limiter(Duration.ofSeconds(30));
        for (int i = 0; i < 1_000; i++) {
            assertThat(limiter.tryPermitNow()).isTrue();
            limiter.onAdmitted();
        }
        assertThat(limiter.rate()).isInfinite();
        limiter.onThrottled(null);
        assertThat(limiter.rate()).as("the first 429 ever, a stray one").isInfinite();
        assertThat(limiter.tryPermitNow()).isTrue();
        limiter.onThrottled(null);
        assertThat(limiter.rate()).as("a second one at the same rate").isFinite();
        assertThat(limiter.tryPermitNow()).isFalse();
    }

    @Test
    void aStray429PausesEveryPermitForItsRetryAfterButLeavesTheRateFree() {
        AdaptiveRateLimiter limiter = limiter(Duration.ofSeconds(30));
        limiter.onAdmitted();
        limiter.onThrottled(Duration.ofSeconds(1));
        assertThat(limiter.rate()).isInfinite();
        AtomicReference<Object> held = ask(limiter);
        time.advanceTimeBy(Duration.ofMillis(999));
        assertThat(held.get()).as("within the pause").isNull();
        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(held.get()).isEqualTo(Duration.ofSeconds(1));
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.tryPermitNow()).as("after the pause, at once").isTrue();
        }
    }

    @Test
    void a429FarBelowTheRateLastCutToIsStrayButOneNearItLowersTheRate() {
        AdaptiveRateLimiter limiter = limiter(Duration.ofSeconds(30));
        admitFor(limiter, 400, Duration.ofSeconds(1));
        limiter.onThrottled(null); // the first ever: stray
        limiter.onThrottled(null); // at the same rate: the limit, cut to 0.85 of 400
        double cut = limiter.rate();
        assertThat(cut).as("0.85 of what the API admitted in the last second").isBetween(280.0, 345.0);
        time.advanceTimeBy(Duration.ofSeconds(3)); // quiet
        admitFor(limiter, 2, Duration.ofSeconds(1));
        limiter.onThrottled(null);
        assertThat(limiter.rate()).as("a 429 met while sending 2/s, far below 340").isGreaterThanOrEqualTo(cut);
        time.advanceTimeBy(Duration.ofSeconds(1));
        admitFor(limiter, 300, Duration.ofSeconds(1));
        double before = limiter.rate();
        limiter.onThrottled(null);
        assertThat(limiter.rate()).as("a 429 met at 300/s").isLessThan(before);
    }

    /** The API admits {@code count} requests, evenly over {@code during}. */
    /**
     * Two replicas start at once and the other one takes the API's whole bucket: this client's
     * first replies, while its 200 requests are out, are 429s. Its first rate comes from what it
     * sent, not from the two replies it has: from those (a rate of 1 per second) its callers
     * would be refused at once (their wait past the maximum), call again, and be refused again, a
     * storm in which the replica got 0.03% of 2 million calls through in one S8 run.
     */
    @Test
    void aClientWhoseFirstRepliesAre429sStartsFromWhatItSentNotFromThoseReplies() {
        AdaptiveRateLimiter limiter = limiter(Duration.ofSeconds(30));
        for (int i = 0; i < 200; i++) {
            assertThat(limiter.tryPermitNow()).isTrue();
        }
        time.advanceTimeBy(Duration.ofMillis(20));
        limiter.onThrottled(Duration.ofSeconds(1)); // the first ever: stray
        limiter.onThrottled(Duration.ofSeconds(1));
        assertThat(limiter.rate()).as("a quarter of the 200 it sent, cut").isBetween(40.0, 50.0);
        List<AtomicReference<Object>> waiting = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            waiting.add(ask(limiter));
        }
        assertThat(waiting).as("its 200 callers all wait their turn, none is refused").noneSatisfy(
                outcome -> assertThat(outcome.get()).isEqualTo("refused"));
        time.advanceTimeBy(Duration.ofSeconds(6));
        assertThat(waiting).allSatisfy(outcome -> assertThat(outcome.get()).isInstanceOf(Duration.class));
    }

    private void admitFor(AdaptiveRateLimiter limiter, int count, Duration during) {
        for (int i = 0; i < count; i++) {
            time.advanceTimeBy(during.dividedBy(count));
            limiter.onAdmitted();
        }
    }

    /**
     * A limiter cut to its lowest rate (1 per second) with an empty bucket: two 429s (the first one
     * ever is stray), nothing admitted.
     */
    private AdaptiveRateLimiter atTheLowestRate(Duration maxWait) {
        AdaptiveRateLimiter limiter = limiter(maxWait);
        limiter.onThrottled(null);
        limiter.onThrottled(null);
        assertThat(limiter.rate()).isEqualTo(RateLimitSettings.DEFAULT_MIN_RATE);
        return limiter;
    }

    @Test
    void aRetryAfterHoldsEveryPermitUntilItEnds() {
        AdaptiveRateLimiter limiter = limiter(Duration.ofSeconds(30));
        limiter.onThrottled(Duration.ofSeconds(2));
        AtomicReference<Object> first = ask(limiter);
        time.advanceTimeBy(Duration.ofMillis(1_999));
        assertThat(first.get()).as("within the pause").isNull();
        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(first.get()).as("when it ends").isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void waitersAreGrantedInOrderAtTheRateAndACancelledOneLeavesTheQueue() {
        AdaptiveRateLimiter limiter = atTheLowestRate(Duration.ofSeconds(30));
        List<AtomicReference<Object>> asked = new ArrayList<>();
        AtomicReference<Object> cancelled = new AtomicReference<>();
        asked.add(ask(limiter));
        Disposable gone = limiter.permit().subscribe(cancelled::set);
        asked.add(ask(limiter));
        asked.add(ask(limiter));
        gone.dispose();
        for (int second = 1; second <= 3; second++) {
            time.advanceTimeBy(Duration.ofMillis(990));
            assertThat(asked.get(second - 1).get()).as("before its token, waiter " + second).isNull();
            time.advanceTimeBy(Duration.ofMillis(10));
            assertThat(asked.get(second - 1).get()).as("at its token, waiter " + second)
                    .isEqualTo(Duration.ofSeconds(second));
        }
        assertThat(cancelled.get()).as("the cancelled waiter").isNull();
    }

    @Test
    void aPauseThatComesWhileWaitersWaitHoldsThemToo() {
        AdaptiveRateLimiter limiter = atTheLowestRate(Duration.ofSeconds(30));
        AtomicReference<Object> waiting = ask(limiter);
        time.advanceTimeBy(Duration.ofMillis(500));
        limiter.onThrottled(Duration.ofSeconds(3)); // until 3.5 s
        time.advanceTimeBy(Duration.ofMillis(3_400));
        assertThat(waiting.get()).as("its token was due at 1 s, but the pause holds it").isNull();
        time.advanceTimeBy(Duration.ofMillis(99));
        // the bucket gains nothing while paused: the half token it had at 0.5 s waits another half second
        assertThat(waiting.get()).as("just before its token").isNull();
        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(waiting.get()).isEqualTo(Duration.ofMillis(4_000));
    }

    @Test
    void tenSecondsWithoutA429MakeItFreeAgain() {
        AdaptiveRateLimiter limiter = atTheLowestRate(Duration.ofSeconds(30));
        time.advanceTimeBy(Duration.ofSeconds(5));
        limiter.onAdmitted();
        assertThat(limiter.tryPermitNow()).as("5 s after the 429").isFalse();
        time.advanceTimeBy(Duration.ofSeconds(6));
        limiter.onAdmitted();
        assertThat(limiter.tryPermitNow()).as("11 s after it").isTrue();
        assertThat(limiter.rate()).isInfinite();
    }

    /**
     * The guard against a refusal storm: however hard the 429s cut, the rate stays at or above what
     * lets every waiting request go within the maximum wait, so that no caller is refused at once
     * for the rate alone, and callers that call again at once after a refusal cannot spin through
     * refusals while almost nothing is sent.
     */
    @Test
    void theRateNeverFallsBelowWhatDrainsTheWaitingQueueWithinTheMaxWait() {
        AdaptiveRateLimiter limiter = limiter(Duration.ofSeconds(2));
        limiter.onThrottled(null); // stray: the reference
        limiter.onThrottled(null); // the first cut
        java.util.List<AtomicReference<Object>> asked = new java.util.ArrayList<>();
        for (int second = 0; second < 5; second++) {
            for (int i = 0; i < 40; i++) {
                asked.add(ask(limiter));
            }
            assertThat(asked).as("refused at once, second %d", second).noneMatch(a -> "refused".equals(a.get()));
            // refused nearly everything: cut after cut
            time.advanceTimeBy(Duration.ofMillis(1_100));
            for (int i = 0; i < 20; i++) {
                limiter.onThrottled(null);
            }
            long waiting = asked.stream().filter(a -> a.get() == null).count();
            assertThat(limiter.rate()).as("the rate after %d s, %d waiting", second + 1, waiting)
                    .isGreaterThanOrEqualTo(waiting / 2.0);
        }
    }

    @Test
    void aPauseLongerThanTheMaxWaitRefusesAtOnceAndTheRateAloneNever() {
        AdaptiveRateLimiter limiter = atTheLowestRate(Duration.ofMillis(2_500));
        AtomicReference<Object> one = ask(limiter);
        AtomicReference<Object> two = ask(limiter);
        AtomicReference<Object> three = ask(limiter);
        assertThat(three.get()).as("3 s ahead at the lowest rate: the rate rises instead").isNull();
        time.advanceTimeBy(Duration.ofMillis(2_500));
        assertThat(List.of(one.get(), two.get(), three.get())).allSatisfy(w -> assertThat(w).isInstanceOf(Duration.class));
        limiter.onThrottled(Duration.ofSeconds(3));
        assertThat(ask(limiter).get()).as("behind a pause of 3 s").isEqualTo("refused");
    }
}
