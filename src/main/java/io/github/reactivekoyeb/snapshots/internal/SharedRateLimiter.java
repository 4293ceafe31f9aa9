package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.RateLimitSettings;
import io.github.reactivekoyeb.snapshots.RateLimiter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A {@link RateLimiter} whose state is a {@link SharedBudget} shared by every replica that uses the same
 * API token: the admitted rate, the pause of the latest {@code Retry-After} and the next free slot
 * live in the budget (Redis, for {@code RedisRateLimiter}); this class is each replica's side.
 *
 * <ul>
 *   <li><b>Free</b> while the budget does not limit: a request goes at once, with no round trip;
 *       the replica reads the budget in the background at most every {@link #CHECK_INTERVAL}
 *       while it sends, to learn that another replica met a 429.</li>
 *   <li><b>Limiting</b>: the requests wait in a local queue, and the replica takes their slots
 *       from the budget in small leases (at most {@link #LEASE_SECONDS} of the fleet's rate, and
 *       only what its queue needs), one budget call per lease: the fleet's requests go at the
 *       budget's rate, spread over the replicas as their callers ask, and a replica that joins
 *       late gets slots at its first lease.</li>
 *   <li><b>429s</b> are reported to the budget (one call at a time, the others folded into it),
 *       which pauses the fleet for the {@code Retry-After} and cuts the rate at most once per
 *       second for the whole fleet; the replica pauses at once without waiting for the budget.</li>
 *   <li><b>When the budget fails</b> or does not answer within the timeout, the replica falls back
 *       to its own {@link AdaptiveRateLimiter} (which heard every reply meanwhile, so it starts
 *       warm), logs one WARN line, and asks the budget again every {@link #PROBE_INTERVAL}: its
 *       first answer brings the replica back (one INFO line). A request never waits on the
 *       budget longer than the timeout.</li>
 * </ul>
 *
 * <p>Thread-safe; the queue changes under this object's lock, and sinks are signalled outside it.
 */
public final class SharedRateLimiter implements RateLimiter {

    /** How often, at most, a free replica reads the budget while it sends. */
    public static final Duration CHECK_INTERVAL = Duration.ofMillis(250);
    /** How often a replica that fell back asks the budget whether it answers again. */
    public static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    /** The longest lease, in seconds of the fleet's rate: {@value}. */
    static final double LEASE_SECONDS = 0.1;
    /** The most slots one lease takes: {@value}. */
    static final int MAX_LEASE = 50;
    /** The longest pause a {@code Retry-After} imposes. */
    static final Duration MAX_PAUSE = Duration.ofMinutes(5);
    /** The first cut's estimate when the API refused almost everything: this share of what was sent: {@value}. */
    static final double FIRST_GUESS_SHARE = 0.25;
    private static final long SECOND = 1_000_000_000L;
    private static final Mono<Duration> AT_ONCE = Mono.just(Duration.ZERO);
    private static final Log log = LogFactory.getLog(SharedRateLimiter.class);

    private final RateLimitSettings settings;
    private final SharedBudget budget;
    private final Duration timeout;
    private final Scheduler timer;
    private final AdaptiveRateLimiter local;
    private final long origin = System.nanoTime();
    private final LastSecond admittedLastSecond = new LastSecond();
    private final LastSecond sentLastSecond = new LastSecond();
    private final AtomicLong unreported = new AtomicLong();
    private final AtomicLong budgetCalls = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicBoolean checking = new AtomicBoolean();
    private final AtomicBoolean reporting = new AtomicBoolean();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean fallenBack;
    private volatile boolean limiting;
    private volatile double sharedRate = Double.POSITIVE_INFINITY;
    /** Nanotime: in the past when not paused (nanotimes compare by their difference only). */
    private volatile long pauseUntil = origin;
    private volatile long checkedAt = origin - 2 * CHECK_INTERVAL.toNanos();
    private volatile @Nullable Duration unreportedRetryAfter;
    private final java.util.concurrent.atomic.AtomicInteger unreported429s = new java.util.concurrent.atomic.AtomicInteger();

    // under the lock
    private final ArrayDeque<Queued> waiting = new ArrayDeque<>();
    private final ArrayDeque<Long> slots = new ArrayDeque<>();
    private int scheduled;
    private boolean reserving;

    /**
     * A replica's side of a shared budget.
     *
     * @param settings the maximum wait, the lowest rate and the decrease, the local fallback's too
     * @param budget the shared state
     * @param timeout the budget's longest wait for one command, for the log line
     */
    public SharedRateLimiter(RateLimitSettings settings, SharedBudget budget, Duration timeout) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.timer = Schedulers.parallel();
        this.local = new AdaptiveRateLimiter(settings);
    }

    /**
     * Whether permits come from this replica's own limiter now: the budget failed, and has not
     * answered again yet.
     *
     * @return true while it paces on its own
     */
    public boolean pacesOnItsOwn() {
        return fallenBack;
    }

    /**
     * The calls made to the budget so far (reservations, reports, reads and probes).
     *
     * @return the count
     */
    public long budgetCalls() {
        return budgetCalls.get();
    }

    /**
     * How many times this replica fell back to its own limiter.
     *
     * @return the count
     */
    public long fallbacks() {
        return fallbacks.get();
    }

    @Override
    public boolean tryPermitNow() {
        if (fallenBack) {
            return local.tryPermitNow();
        }
        long now = System.nanoTime();
        if (limiting || pauseUntil - now > 0) {
            return false;
        }
        sentLastSecond.count(now - origin);
        if (now - checkedAt > CHECK_INTERVAL.toNanos()) {
            check(now);
        }
        return true;
    }

    @Override
    public Mono<Duration> permit() {
        if (fallenBack) {
            return local.permit();
        }
        if (tryPermitNow()) {
            return AT_ONCE;
        }
        return Mono.create(sink -> {
            Queued queued = new Queued(sink, System.nanoTime());
            sink.onCancel(() -> cancel(queued));
            enqueue(queued);
        });
    }

    @Override
    public void onThrottled(@Nullable Duration retryAfter) {
        local.onThrottled(retryAfter);
        if (fallenBack) {
            return;
        }
        long now = System.nanoTime();
        if (retryAfter != null && retryAfter.compareTo(Duration.ZERO) > 0) {
            pauseAt(now, Math.min(retryAfter.toNanos(), MAX_PAUSE.toNanos()));
            Duration known = unreportedRetryAfter;
            if (known == null || known.compareTo(retryAfter) < 0) {
                unreportedRetryAfter = retryAfter;
            }
        }
        unreported429s.incrementAndGet();
        report();
    }

    @Override
    public void onAdmitted() {
        local.onAdmitted();
        admittedLastSecond.count(System.nanoTime() - origin);
        unreported.incrementAndGet();
    }

    @Override
    public double rate() {
        if (fallenBack) {
            return local.rate();
        }
        return limiting ? sharedRate : Double.POSITIVE_INFINITY;
    }

    @Override
    public Duration maxWait() {
        return settings.maxWait();
    }

    // ---------------------------------------------------------------- the budget's calls

    private Mono<SharedBudget.Decision> call(Mono<SharedBudget.Decision> decision) {
        budgetCalls.incrementAndGet();
        return decision; // the budget bounds its own waits
    }

    /**
     * The admissions to report: those met since the last report while the fleet limits (the
     * budget measures the API's limit from them); those met while free are dropped.
     */
    private long admissions() {
        long met = unreported.getAndSet(0);
        return limiting ? met : 0;
    }

    /** A free replica reads the budget in the background: has another replica met a 429? */
    private void check(long now) {
        if (!checking.compareAndSet(false, true)) {
            return;
        }
        checkedAt = now;
        call(budget.reserve(0, settings.maxWait(), admissions()))
                .doFinally(s -> checking.set(false))
                .subscribe(this::apply, this::fallBack);
    }

    /** Reports the 429s met since the last report, one call at a time. */
    private void report() {
        if (!reporting.compareAndSet(false, true)) {
            return; // the call in flight reports again when it ends
        }
        int met = unreported429s.getAndSet(0);
        if (met == 0) {
            reporting.set(false);
            if (unreported429s.get() > 0) {
                report(); // one came in between, whose own report() found this one in flight
            }
            return;
        }
        Duration retryAfter = unreportedRetryAfter;
        unreportedRetryAfter = null;
        long now = System.nanoTime();
        double sent = sentLastSecond.perSecond(now - origin);
        double admitted = admittedLastSecond.perSecond(now - origin);
        double replicaRate = Math.max(settings.minRate(), Math.max(admitted, sent * FIRST_GUESS_SHARE));
        call(budget.throttled(met, retryAfter, admissions(), replicaRate))
                .subscribe(decision -> {
                    apply(decision);
                    reporting.set(false);
                    if (unreported429s.get() > 0) {
                        report();
                    }
                    pump();
                }, e -> {
                    reporting.set(false);
                    fallBack(e);
                });
    }

    private void apply(SharedBudget.Decision decision) {
        long now = System.nanoTime();
        limiting = decision.limiting();
        sharedRate = decision.limiting() ? decision.rate() : Double.POSITIVE_INFINITY;
        if (!decision.pause().isZero()) {
            pauseAt(now, decision.pause().toNanos());
        }
    }

    private void pauseAt(long now, long pause) {
        long until = now + pause;
        synchronized (this) {
            if (until - pauseUntil > 0) {
                pauseUntil = until;
            }
        }
    }

    // ---------------------------------------------------------------- the local queue

    private void enqueue(Queued queued) {
        synchronized (this) {
            waiting.add(queued);
        }
        // a backstop: a request that found no slot within the maximum wait is refused
        queued.refusal = timer.schedule(() -> refuse(queued), settings.maxWait().toNanos(), TimeUnit.NANOSECONDS);
        pump();
    }

    private void cancel(Queued queued) {
        if (!queued.claim()) {
            return; // already sent or refused
        }
        synchronized (this) {
            waiting.remove(queued);
            if (queued.slotted) {
                scheduled--;
            }
        }
        queued.dispose();
        pump();
    }

    private void refuse(Queued queued) {
        synchronized (this) {
            if (!waiting.remove(queued)) {
                return; // it has a slot, or is gone
            }
        }
        queued.finish(null);
    }

    /** Gives slots to the waiting requests, and takes a lease when they need more. */
    private void pump() {
        List<Queued> free = null;
        List<Queued> refused = null;
        int wanted = 0;
        if (fallenBack) {
            // fell back meanwhile (a request re-queued by a pause, say): the local limiter's
            handOver();
            return;
        }
        synchronized (this) {
            long now = System.nanoTime();
            if (!limiting && pauseUntil - now <= 0) {
                free = new ArrayList<>(waiting); // the budget is free again: they all go
                waiting.clear();
                slots.clear();
            } else {
                while (!waiting.isEmpty() && !slots.isEmpty()) {
                    Queued next = waiting.poll();
                    long slot = slots.poll();
                    schedule(next, slot, now);
                }
                if (!waiting.isEmpty() && !reserving && limiting) {
                    int lease = (int) Math.max(1, Math.min(MAX_LEASE, Math.ceil(sharedRate * LEASE_SECONDS)));
                    wanted = Math.min(waiting.size(), lease - scheduled);
                    reserving = wanted > 0;
                }
                if (!waiting.isEmpty() && !limiting && !reserving) {
                    // paused, not limiting: they go when the pause ends, or are refused at once when
                    // it ends after the maximum wait
                    long end = pauseUntil;
                    if (end - now > settings.maxWait().toNanos()) {
                        refused = new ArrayList<>(waiting);
                    } else {
                        for (Queued q : waiting) {
                            schedule(q, end, now);
                        }
                    }
                    waiting.clear();
                }
            }
        }
        if (free != null) {
            free.forEach(q -> q.finish(Duration.ofNanos(System.nanoTime() - q.since)));
            return;
        }
        if (refused != null) {
            refused.forEach(q -> q.finish(null));
        }
        if (wanted > 0) {
            int n = wanted;
            call(budget.reserve(n, settings.maxWait(), admissions()))
                    .subscribe(decision -> granted(n, decision), e -> {
                        synchronized (this) {
                            reserving = false;
                        }
                        fallBack(e);
                    });
        }
    }

    private void granted(int wanted, SharedBudget.Decision decision) {
        apply(decision);
        long now = System.nanoTime();
        List<Queued> refused = new ArrayList<>();
        synchronized (this) {
            reserving = false;
            if (decision.limiting()) {
                long first = now + decision.firstWait().toNanos();
                for (int i = 0; i < decision.granted(); i++) {
                    slots.add(first + i * decision.interval().toNanos());
                }
                if (decision.granted() == 0) {
                    refused.addAll(waiting); // the first slot is further than the maximum wait: all would wait longer
                    waiting.clear();
                } else {
                    for (int i = decision.granted(); i < wanted && !waiting.isEmpty(); i++) {
                        refused.add(waiting.pollLast());
                    }
                }
            }
        }
        refused.forEach(q -> q.finish(null));
        pump();
    }

    /** Under the lock: the request goes at its slot (or when the pause ends, if later). */
    private void schedule(Queued queued, long slot, long now) {
        queued.slotted = true;
        scheduled++;
        long delay = Math.max(slot - now, pauseUntil - now);
        if (delay <= 0) {
            timer.schedule(() -> fire(queued));
        } else {
            queued.slot = timer.schedule(() -> fire(queued), delay, TimeUnit.NANOSECONDS);
        }
    }

    private void fire(Queued queued) {
        long now = System.nanoTime();
        if (pauseUntil - now > 0) {
            // a 429 paused the fleet after this slot was taken: the request gives it up and waits
            // first in line for a slot after the pause (slots kept would all go at its end at once)
            synchronized (this) {
                if (queued.isDone()) {
                    return;
                }
                queued.slotted = false;
                scheduled--;
                waiting.addFirst(queued);
            }
            pump();
            return;
        }
        if (!queued.claim()) {
            return; // cancelled meanwhile: its cancel gave the slot count back
        }
        synchronized (this) {
            scheduled--;
        }
        sentLastSecond.count(now - origin);
        queued.emit(Duration.ofNanos(now - queued.since));
        pump();
    }

    // ---------------------------------------------------------------- falling back and coming back

    /**
     * The budget's connection dropped: falls back now, not at the next call to the budget (which
     * a pause may put off).
     *
     * @param cause what the budget saw
     */
    public void budgetLost(Throwable cause) {
        if (!fallenBack) {
            fallBack(cause);
        }
    }

    private void fallBack(Throwable e) {
        synchronized (this) {
            boolean first = !fallenBack;
            fallenBack = true;
            if (first) {
                fallbacks.incrementAndGet();
                log.warn("Koyeb rate limit: the shared budget " + budget.describe() + (e instanceof TimeoutException
                        ? " did not answer in time (" + timeout.toMillis() + " ms a command)" : " failed: " + e.getClass().getName())
                        + "; this client paces on its own until it answers again");
            }
        }
        handOver();
        probeLater();
    }

    /** The waiting requests go to the local limiter: this replica paces on its own. */
    private void handOver() {
        List<Queued> moved;
        synchronized (this) {
            moved = new ArrayList<>(waiting);
            waiting.clear();
            slots.clear();
        }
        for (Queued q : moved) {
            local.permit().subscribe(waited -> q.finish(Duration.ofNanos(System.nanoTime() - q.since)), x -> q.finish(null),
                    () -> q.finish(null)); // empty: refused (after a value, finish is a no-op)
        }
    }

    private void probeLater() {
        if (probing.compareAndSet(false, true)) {
            timer.schedule(this::probe, PROBE_INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void probe() {
        call(budget.reserve(0, settings.maxWait(), 0)).subscribe(decision -> {
            apply(decision);
            probing.set(false);
            fallenBack = false;
            log.info("Koyeb rate limit: the shared budget " + budget.describe() + " answers again; this client "
                    + "paces with the fleet");
        }, e -> {
            probing.set(false);
            probeLater();
        });
    }

    @Override
    public String toString() {
        return "SharedRateLimiter{" + budget.describe() + ", " + (fallenBack ? "local" : "shared") + ", "
                + (limiting ? String.format(java.util.Locale.ROOT, "%.1f/s", sharedRate) : "free") + '}';
    }

    /** A request waiting for its permit. */
    private static final class Queued {
        final MonoSink<Duration> sink;
        final long since;
        volatile @Nullable Disposable refusal;
        volatile @Nullable Disposable slot;
        boolean slotted;
        private final AtomicBoolean done = new AtomicBoolean();

        Queued(MonoSink<Duration> sink, long since) {
            this.sink = sink;
            this.since = since;
        }

        boolean isDone() {
            return done.get();
        }

        /** Whether this caller is the one that ends the request (sent, refused or cancelled). */
        boolean claim() {
            return done.compareAndSet(false, true);
        }

        /** Emits the wait, or completes empty (a refusal) when null; once. */
        void finish(@Nullable Duration waited) {
            if (claim()) {
                emit(waited);
            }
        }

        /** After a successful {@link #claim()}. */
        void emit(@Nullable Duration waited) {
            dispose();
            if (waited == null) {
                sink.success();
            } else {
                sink.success(waited);
            }
        }

        void dispose() {
            Disposable r = refusal;
            if (r != null) {
                r.dispose();
            }
            Disposable s = slot;
            if (s != null) {
                s.dispose();
            }
        }
    }
}
