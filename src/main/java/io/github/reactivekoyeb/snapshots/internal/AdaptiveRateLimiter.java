package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.RateLimitSettings;
import io.github.reactivekoyeb.snapshots.RateLimiter;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The adaptive {@link RateLimiter}: off (and free) until the API answers 429, then a token bucket
 * whose rate follows what the API admits, with a queue of the requests that wait for its tokens.
 *
 * <p>The model is AIMD over the API's replies, the law of TCP CUBIC as AWS SDK v2's adaptive retry
 * mode uses it:
 * <ul>
 *   <li><b>Every 429 pauses</b> every request for its {@code Retry-After} (at most
 *       {@link #MAX_PAUSE}).</li>
 *   <li><b>A stray 429 only pauses</b> ({@link #isStray}): the first the client ever meets, or one
 *       met while it sends at less than {@link #STRAY_SHARE} of the rate the API last refused, said
 *       that someone else used the token's budget, not that this client sends too fast.</li>
 *   <li><b>Any other 429 cuts the rate</b> ({@link #cut}), at most once per {@link #CUT_INTERVAL}
 *       (the 429s of one overload are one signal), to {@code decrease} times a <em>base</em>: what
 *       the API admitted in the last second while the client was not paused, never above the rate
 *       nor below {@code decrease} times it. The <b>first cut</b> ({@link #firstBase}), and each
 *       429 in its first second while the first burst's replies come in, takes the base from what
 *       was admitted, or from {@link #FIRST_GUESS_SHARE} of what was sent when the API refused
 *       almost everything (another replica took the bucket): an <em>estimate</em>. A cut that comes
 *       within {@link #REFINE_WINDOW} of an estimated cut is estimated too, and its base is no more
 *       than what the API really admitted since that cut, pauses included (but not below
 *       {@link #REFINE_FLOOR} of the base): a client held to the limit by its pauses comes down to
 *       what it gets. Once a cut has held for that window, the rate is measured again.</li>
 *   <li><b>Each admission grows the rate</b> ({@link #nextRate}) along CUBIC's curve
 *       {@code W(t) = Wmax + C (t - K)^3}, {@code K = cbrt(Wmax (1 - decrease) / C)}, from the last
 *       cut's base: fast while far below it, flat around it, probing above it after; never above
 *       {@link #GROWTH_CAP} times what the API admitted in the last second (a quiet client stores no
 *       burst), nor below the rate of the last cut.</li>
 *   <li><b>The rate never falls below</b> the settings' minimum, nor below what lets every waiting
 *       request go within the maximum wait (the {@link PacedQueue}'s floor), so that only a pause,
 *       never the rate alone, makes the queue refuse its callers.</li>
 *   <li><b>{@link #QUIET} without a 429 that lowered the rate</b> turns it off again.</li>
 * </ul>
 *
 * <p>The requests that find no token wait in a {@link PacedQueue}, whose rate and pauses this
 * class sets: the queue is the mechanism, this class the control law. Thread-safe: the law's state
 * changes under this object's lock (the queue's own lock is taken inside it, never the other way).
 * How the constants were chosen, with the figures of the simulation
 * ({@code AdaptiveRateLimiterSimulationTest}) and of the benchmarks, is in
 * {@code docs/rate-limiting.md}.
 */
public final class AdaptiveRateLimiter implements RateLimiter {

    /** The permit of a request that need not wait, shared. */
    private static final Mono<Duration> AT_ONCE = Mono.just(Duration.ZERO);
    /** CUBIC's C, in requests per second per second cubed, as AWS SDK v2's adaptive mode: {@value}. */
    static final double CUBIC_C = 0.4;
    private static final long SECOND = 1_000_000_000L;
    /** The longest pause a {@code Retry-After} imposes. */
    static final Duration MAX_PAUSE = Duration.ofMinutes(5);
    /** How long without a 429 before the limiter is off (and free) again. */
    static final Duration QUIET = Duration.ofSeconds(10);
    /** At most one cut per this interval, the first burst's second excepted. */
    static final Duration CUT_INTERVAL = Duration.ofSeconds(1);
    /** A 429 is stray when the client sends at less than this share of the rate the API last refused: {@value}. */
    static final double STRAY_SHARE = 0.5;
    /** Only a client that was not paused for at least this share of the last second can tell a stray 429: {@value}. */
    static final double SENDING_SHARE_TO_JUDGE = 0.5;
    /** The first cut's estimate when the API refused almost everything: this share of what was sent: {@value}. */
    static final double FIRST_GUESS_SHARE = 0.25;
    /** A cut within this window of an estimated cut is based on what was admitted since. */
    static final Duration REFINE_WINDOW = Duration.ofSeconds(3);
    /** ...but no lower than this share of the base it refines: {@value}. */
    static final double REFINE_FLOOR = 0.5;
    /** The rate never grows above this many times what the API admitted in the last second: {@value}. */
    static final double GROWTH_CAP = 2;
    /** With a pause over this share of the last second, the rate itself is the base of a cut: {@value}. */
    static final double PAUSED_SHARE_TO_MEASURE = 0.5;

    /**
     * A decrease of the rate: when, from what base (CUBIC's {@code Wmax}), and whether that base
     * was estimated from what was sent rather than measured from what was admitted.
     */
    private record Cut(long at, double base, boolean estimated, double recoverySeconds) {
    }

    private final RateLimitSettings settings;
    /** Monotonic nanoseconds (the scheduler's own clock is the wall clock, which can jump). */
    private final LongSupplier clock;
    private final long origin;
    private final LastSecond admitted = new LastSecond();
    private final LastSecond throttled = new LastSecond();
    /** The requests let through: before their replies come, the only count of what was sent. */
    private final LastSecond letThrough = new LastSecond();
    private final PacedQueue queue;
    /** Whether it limits (and is not free): from a cut until {@link #QUIET} without one. */
    private volatile boolean enabled;

    // under the lock (the rate itself is the queue's)
    /** The rate at which the API last refused: what was sent at the first 429, then each cut's base; none before. */
    private OptionalDouble refusedAt = OptionalDouble.empty();
    private @Nullable Cut lastCut;
    private long enabledAt;
    private long lastThrottled;
    private long admittedSinceCut;

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
            double sendingShare = 1 - queue.pausedSince(now - SECOND, now) / (double) SECOND;
            pause(now, retryAfter);
            throttled.count(now - origin);
            double replied = admitted.perSecond(now - origin) + throttled.perSecond(now - origin);
            if (isStray(replied, sendingShare)) {
                if (refusedAt.isEmpty()) {
                    refusedAt = OptionalDouble.of(replied);
                }
                return;
            }
            lastThrottled = now;
            boolean firstBurst = !enabled || now - enabledAt < SECOND;
            Cut last = lastCut;
            if (!firstBurst && last != null && now - last.at() < CUT_INTERVAL.toNanos()) {
                return; // one cut per interval: the 429s of one overload are one signal
            }
            // what it sent in the last second: the replies, or the requests let through when more (a
            // client whose first replies are 429s has two replies and 200 requests out)
            double sent = Math.max(replied, letThrough.perSecond(now - origin));
            cut(now, firstBurst ? firstCut(now, sent) : nextCut(now, Objects.requireNonNull(last)));
        }
    }

    /**
     * Whether a 429 is stray, to be answered by its pause alone: the client, not paused most of the
     * last second, sends at less than {@link #STRAY_SHARE} of the rate the API last refused, or
     * the API never refused it before.
     */
    private boolean isStray(double replied, double sendingShare) {
        return sendingShare >= SENDING_SHARE_TO_JUDGE
                && (refusedAt.isEmpty() || replied / sendingShare < refusedAt.getAsDouble() * STRAY_SHARE);
    }

    /** The first cut, refined by each 429 of its first second: from what was admitted, or an estimate. */
    private Cut firstCut(long now, double sent) {
        double admittedRate = admitted.perSecond(now - origin);
        return cutFrom(now, firstBase(admittedRate, sent), sent * FIRST_GUESS_SHARE > admittedRate);
    }

    /**
     * The base of the first cut: what the API admitted in the last second, or, when it refused
     * (almost) everything, {@link #FIRST_GUESS_SHARE} of what was sent rather than nothing.
     */
    private double firstBase(double admittedRate, double sent) {
        return Math.max(settings.minRate(), Math.max(admittedRate, sent * FIRST_GUESS_SHARE));
    }

    /** A later cut: from what was admitted while sending, refined by the admissions since an estimated cut. */
    private Cut nextCut(long now, Cut last) {
        double rate = queue.rate();
        double base = Math.max(settings.minRate(),
                Math.max(rate * settings.decrease(), Math.min(rate, admittedWhileSending(now))));
        boolean refining = last.estimated() && now - last.at() < REFINE_WINDOW.toNanos();
        if (refining) {
            double since = admittedSinceCut / ((now - last.at()) / (double) SECOND);
            base = Math.max(settings.minRate(), Math.max(base * REFINE_FLOOR, Math.min(base, since)));
        }
        return cutFrom(now, base, refining);
    }

    private Cut cutFrom(long now, double base, boolean estimated) {
        return new Cut(now, base, estimated, Math.cbrt(base * (1 - settings.decrease()) / CUBIC_C));
    }

    /** Lowers the rate to {@code decrease} times the cut's base, starting the limiter if it was off. */
    private void cut(long now, Cut cut) {
        admittedSinceCut = 0;
        lastCut = cut;
        refusedAt = OptionalDouble.of(cut.base());
        if (!enabled) {
            enabledAt = now;
        }
        setRate(now, cut.base() * settings.decrease(), !enabled);
        enabled = true;
    }

    /** Pauses every request for the {@code Retry-After}, if any (the tokens earned up to it are kept). */
    private void pause(long now, @Nullable Duration retryAfter) {
        if (retryAfter != null && !retryAfter.isNegative() && !retryAfter.isZero()) {
            queue.pause(now, now + Math.min(retryAfter.toNanos(), MAX_PAUSE.toNanos()));
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
            admittedSinceCut++;
            Cut last = lastCut;
            if (last == null) {
                return;
            }
            if (now - lastThrottled > QUIET.toNanos() && queue.isEmpty()) {
                enabled = false; // no 429 for a long while: free again, until the next one
                queue.unlimit();
                return;
            }
            setRate(now, nextRate(now, last), false);
        }
    }

    /**
     * The rate after an admission: CUBIC's curve from the last cut, no higher than
     * {@link #GROWTH_CAP} times what was admitted in the last second, no lower than the cut's rate
     * (right after a pause, the last second's admissions are few).
     */
    private double nextRate(long now, Cut last) {
        double t = (now - last.at()) / (double) SECOND - last.recoverySeconds();
        double cubic = last.base() + CUBIC_C * t * t * t;
        return Math.min(cubic, Math.max(GROWTH_CAP * admitted.perSecond(now - origin), last.base() * settings.decrease()));
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
        if (paused > SECOND * PAUSED_SHARE_TO_MEASURE) {
            return Double.POSITIVE_INFINITY; // too short a sample: the rate itself is the base
        }
        return admitted.perSecond(now - origin) * SECOND / (SECOND - paused);
    }

    /** Under the lock: the queue's rate from {@code now}, from an empty bucket if {@code start}. */
    private void setRate(long now, double next, boolean start) {
        if (Double.isNaN(next) || Double.isInfinite(next)) {
            return; // never: the bases are finite counts, but a limiter that does not limit would hang its queue
        }
        double rate = Math.max(settings.minRate(), next); // the queue keeps its own floor
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
