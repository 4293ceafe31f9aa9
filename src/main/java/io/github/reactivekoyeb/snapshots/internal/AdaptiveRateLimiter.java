package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.RateLimitSettings;
import io.github.reactivekoyeb.snapshots.RateLimiter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The adaptive {@link RateLimiter}: off (and free) until the API answers 429, then a token bucket
 * whose rate follows the API's admissions, with a queue of the requests that wait for its tokens.
 *
 * <p>It counts the requests the API admits and refuses, in ten buckets of 100 ms, lock-free. Every
 * 429 pauses every request for its {@code Retry-After} (up to 5 minutes: a request that would wait
 * past the maximum wait fails at once meanwhile). A <em>stray</em> 429, met while the client sends
 * at less than half the rate it was last cut to (or before any, the first 429 it ever meets), says
 * that someone else used the token's budget: its pause is the whole answer, and the rate is left
 * alone. Any other 429, at most once a second (the 429s of one overload are one signal), lowers
 * the rate to {@code decrease} times a base: what the API admitted in the last second while the
 * client was not paused (or the rate, if lower; never below {@code decrease} times the rate, so that
 * a sample spoiled by a pause cannot collapse it); and, while the rate is still the first
 * decrease's guess (a quarter of what was sent, below) and the 429 comes less than
 * {@value #REPEAT_SECONDS} s after the last cut, no more than what the API really admitted since
 * that cut, pauses included (but not below half): a client whose pauses, not its rate, were
 * holding it to the limit (it sends too fast whenever it is not paused) comes down to what it
 * gets. Once a cut has held for {@value #REPEAT_SECONDS} s, a 429 soon after a cut is a decrease
 * like any other: among replicas, it says that another one used the budget while this one was
 * paused, and halving this one again and again handed the other the rest.
 * The first time, while the first burst's replies come in, each 429 refines the base, and a client
 * refused (almost) everything starts from a quarter of what it sent: of the requests it let
 * through in the last second, when its replies are fewer (its first replies were 429s and the
 * rest are still out). On each admission the rate grows back along
 * CUBIC's curve {@code W(t) = Wmax + C (t - K)^3}, {@code K = cbrt(Wmax (1 - decrease) / C)} (TCP
 * CUBIC, as AWS SDK v2's adaptive retry mode, C = {@value #CUBIC_C}): fast while far below the rate
 * of the last decrease, flat around it, probing above it after; never above twice what the API
 * admitted in the last second (a quiet client stores no burst), nor below the rate it was lowered
 * to. Ten seconds without a 429 that lowered the rate turn it off again.
 *
 * <p>The requests that find no token wait in a {@link PacedQueue}, whose rate and pauses this
 * class sets: the queue is the mechanism, this class the control law. Thread-safe: the law's state
 * changes under this object's lock (the queue's own lock is taken inside it, never the other way).
 *
 * <p>Its parameters come from a simulation of the issues' scenarios in virtual time
 * ({@code AdaptiveRateLimiterSimulationTest}): 20, 150 and 1,000 requests per second, a limit that
 * changes, two and four replicas, replicas that start 5 s apart, a stray 429, at several latencies.
 */
public final class AdaptiveRateLimiter implements RateLimiter {

    /** The permit of a request that need not wait, shared. */
    private static final Mono<Duration> AT_ONCE = Mono.just(Duration.ZERO);
    /** CUBIC's C, in requests per second per second cubed, as AWS SDK v2's adaptive mode: {@value}. */
    static final double CUBIC_C = 0.4;
    /** The longest pause a {@code Retry-After} imposes: 5 minutes. */
    private static final long MAX_PAUSE_NANOS = Duration.ofMinutes(5).toNanos();
    /** How long without a 429 before the limiter is off (and free) again: 10 s. */
    private static final long QUIET_NANOS = Duration.ofSeconds(10).toNanos();
    /** Within this many seconds of the last decrease, a decrease is based on the admissions since: {@value}. */
    static final int REPEAT_SECONDS = 3;
    private static final long SECOND = 1_000_000_000L;

    private final RateLimitSettings settings;
    /** Monotonic nanoseconds (the scheduler's own clock is the wall clock, which can jump). */
    private final LongSupplier clock;
    private final long origin;
    private final LastSecond admitted = new LastSecond();
    private final LastSecond throttled = new LastSecond();
    /** The requests let through: before their replies come, the only count of what was sent. */
    private final LastSecond letThrough = new LastSecond();
    private final PacedQueue queue;
    private volatile boolean enabled;

    // under the lock (the rate itself is the queue's)
    private double lastMax;
    /** CUBIC's K: seconds from the last decrease back to {@code lastMax}. */
    private double recovery;
    private long lastDecrease;
    private long enabledAt;
    private long lastThrottled;
    private long admittedSinceDecrease;
    /** The rate is still the first decrease's guess (a quarter of what was sent), not what was admitted. */
    private boolean guessed;

    /**
     * A limiter with state of its own; use {@link RateLimiter#adaptive(RateLimitSettings)}.
     *
     * @param settings the settings
     */
    public AdaptiveRateLimiter(RateLimitSettings settings) {
        this(settings, Schedulers.parallel(), System::nanoTime);
    }

    /** With a virtual-time scheduler, for simulations: its timer and its clock. */
    AdaptiveRateLimiter(RateLimitSettings settings, Scheduler timer) {
        this(settings, timer, () -> timer.now(TimeUnit.NANOSECONDS));
    }

    private AdaptiveRateLimiter(RateLimitSettings settings, Scheduler timer, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
        this.origin = now();
        this.queue = new PacedQueue(settings.maxWait().toNanos(), timer, clock, at -> letThrough.count(at - origin));
    }

    @Override
    public boolean tryPermitNow() {
        long now = now();
        if (!enabled && !queue.paused(now)) {
            letThrough.count(now - origin);
            return true;
        }
        return false;
    }

    @Override
    public Mono<Duration> permit() {
        return tryPermitNow() ? AT_ONCE : Mono.create(queue::enqueue);
    }

    @Override
    public void onThrottled(@Nullable Duration retryAfter) {
        long now = now();
        synchronized (this) {
            double sending = 1 - queue.pausedSince(now - SECOND, now) / (double) SECOND;
            pause(now, retryAfter);
            throttled.count(now - origin);
            double sent = admitted.perSecond(now - origin) + throttled.perSecond(now - origin);
            if (sending >= 0.5 && (lastMax == 0 || sent / sending < lastMax / 2)) {
                // a stray 429: far below any limit met, or the first ever; the pause answers it
                if (lastMax == 0) {
                    lastMax = sent;
                }
                return;
            }
            lastThrottled = now;
            // what it sent in the last second: the replies, or the requests let through when more (a
            // client whose first replies are 429s has two replies and 200 requests out)
            double requested = Math.max(sent, letThrough.perSecond(now - origin));
            // in its first second, while the first burst's replies come in, each 429 refines the first
            // decrease; later, the 429s of one overload are one signal, at most one decrease a second
            boolean first = !enabled || now - enabledAt < SECOND;
            if (!first && now - lastDecrease < SECOND) {
                return;
            }
            // the first time, a client that the API refused (almost) everything (another replica took
            // its whole bucket) starts from a quarter of what it sent rather than from nothing
            double base = Math.max(settings.minRate(), first
                    ? Math.max(admitted.perSecond(now - origin), requested / 4)
                    : Math.max(queue.rate() * settings.decrease(), Math.min(queue.rate(), admittedWhileSending(now))));
            if (first) {
                guessed = requested / 4 > admitted.perSecond(now - origin);
            } else if (now - lastDecrease >= REPEAT_SECONDS * SECOND) {
                guessed = false; // a cut that held: the rate came from admissions, not from the guess
            }
            if (!first && guessed && now - lastDecrease < REPEAT_SECONDS * SECOND) {
                // refused again soon after a cut while the rate is still the first guess: what the API
                // admitted since, pauses included, but no lower than half the base, so that a sample
                // that was mostly pause cannot collapse it. Only then: a replica that meets 429s soon
                // after a cut because another used the budget while it was paused would be halved
                // again and again, and the other would take the rest (issue 25)
                double since = admittedSinceDecrease / ((now - lastDecrease) / (double) SECOND);
                base = Math.max(settings.minRate(), Math.max(base / 2, Math.min(base, since)));
            }
            admittedSinceDecrease = 0;
            lastMax = base;
            recovery = Math.cbrt(base * (1 - settings.decrease()) / CUBIC_C);
            lastDecrease = now;
            if (!enabled) {
                enabledAt = now;
            }
            setRate(now, base * settings.decrease(), !enabled);
            enabled = true;
        }
    }

    /** Pauses every request for the {@code Retry-After}, if any (the tokens earned up to it are kept). */
    private void pause(long now, @Nullable Duration retryAfter) {
        if (retryAfter != null && !retryAfter.isNegative() && !retryAfter.isZero()) {
            queue.pause(now, now + Math.min(retryAfter.toNanos(), MAX_PAUSE_NANOS));
        }
    }

    @Override
    public void onAdmitted() {
        long now = now();
        admitted.count(now - origin);
        if (!enabled) {
            return;
        }
        synchronized (this) {
            admittedSinceDecrease++;
            if (now - lastThrottled > QUIET_NANOS && queue.isEmpty()) {
                enabled = false; // no 429 for a long while: free again, until the next one
                queue.unlimit();
                return;
            }
            double t = (now - lastDecrease) / (double) SECOND - recovery;
            double cubic = lastMax + CUBIC_C * t * t * t;
            // not above twice the admissions (a quiet client stores no burst), nor below the rate
            // of the last decrease (after a pause, the last second's admissions are few)
            setRate(now, Math.min(cubic, Math.max(2 * admitted.perSecond(now - origin), lastMax * settings.decrease())), false);
        }
    }

    @Override
    public double rate() {
        return enabled ? queue.rate() : Double.POSITIVE_INFINITY;
    }

    @Override
    public Duration maxWait() {
        return settings.maxWait();
    }

    /**
     * Under the lock: what the API admitted in the last second, per second of it that was not
     * paused (right after a pause, the admissions of the last second are few for no fault of the rate).
     */
    private double admittedWhileSending(long now) {
        long paused = queue.pausedSince(now - SECOND, now);
        if (paused > SECOND / 2) {
            return Double.POSITIVE_INFINITY; // too short a sample: the rate itself is the base
        }
        return admitted.perSecond(now - origin) * SECOND / (SECOND - paused);
    }

    /** Under the lock: the queue's rate from {@code now}, from an empty bucket if {@code start}. */
    private void setRate(long now, double next, boolean start) {
        if (Double.isNaN(next) || Double.isInfinite(next)) {
            return; // never: the bases are finite counts, but a limiter that does not limit would hang its queue
        }
        double rate = Math.max(settings.minRate(), next);
        if (start) {
            queue.start(now, rate);
        } else {
            queue.rate(now, rate);
        }
    }

    private long now() {
        return clock.getAsLong();
    }

    @Override
    public String toString() {
        return "AdaptiveRateLimiter{" + (enabled ? String.format(java.util.Locale.ROOT, "%.1f/s", queue.rate()) : "off")
                + ", " + settings + '}';
    }
}
