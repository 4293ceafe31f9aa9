package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.RateLimitSettings;
import io.github.reactivekoyeb.snapshots.RateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleUnaryOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The issues' scenarios in virtual time, deterministic and quick: an API that admits {@code limit}
 * requests per second (a token bucket of one second's worth) and answers the rest 429 with
 * {@code Retry-After: 1}, and may refuse one request at chosen times whatever its bucket holds (a
 * stray 429: another client of the token took its budget); replicas of a client, each with a
 * limiter of its own, callers that call again as soon as their call ends (or after a pause of
 * their own), started at a time of their own, and sequences of calls one after the other (a
 * listing's pages); each call sent as the default client sends it (a permit before each try, up to
 * 3 retries of a 429 after its {@code Retry-After}), 1 ms each way on the wire unless set, plus a
 * seeded random jitter when asked for.
 */
final class RateLimitSimulation {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final int MAX_TRIES = 4;

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final DoubleUnaryOperator limitAt;
    private final long runNanos;
    private final long measuredFrom;
    private double apiTokens;
    private long apiRefilledAt;
    private final TreeSet<Long> strayRefusals = new TreeSet<>();
    private final List<Replica> replicas = new ArrayList<>();
    private Duration oneWay = Duration.ofMillis(1);
    private long jitterNanos;
    private SplittableRandom random = new SplittableRandom(0);

    /**
     * @param limitAt the API's limit, per second, at a time in seconds from the start (0: no limit)
     * @param seconds how long the callers start calls
     * @param measuredFromSeconds from when the adapted figures are measured
     */
    RateLimitSimulation(DoubleUnaryOperator limitAt, double seconds, double measuredFromSeconds) {
        this.limitAt = limitAt;
        this.runNanos = (long) (seconds * SECOND);
        this.measuredFrom = (long) (measuredFromSeconds * SECOND);
        this.apiTokens = limitAt.applyAsDouble(0);
    }

    /** The time a request takes to reach the API, and its reply to come back: 1 ms unless set. */
    RateLimitSimulation oneWay(Duration latency) {
        this.oneWay = latency;
        return this;
    }

    /** Adds up to {@code max} to each way of each request, drawn from a generator of this seed. */
    RateLimitSimulation jitter(Duration max, long seed) {
        this.jitterNanos = max.toNanos();
        this.random = new SplittableRandom(seed);
        return this;
    }

    /** The API refuses the first request that reaches it at or after this time, whatever its limit. */
    RateLimitSimulation strayRefusalAt(double seconds) {
        strayRefusals.add((long) (seconds * SECOND));
        return this;
    }

    /** Adds a replica with a default adaptive limiter of its own, whose callers start at once. */
    Replica replica(int callers) {
        return replica(callers, 0, Duration.ZERO);
    }

    /**
     * Adds a replica with a default adaptive limiter of its own.
     *
     * @param callers how many callers call in a loop
     * @param startSeconds when they start
     * @param pause how long each caller waits between the end of a call and the next
     */
    Replica replica(int callers, double startSeconds, Duration pause) {
        Replica replica = new Replica(new AdaptiveRateLimiter(RateLimitSettings.defaults(), time), callers,
                (long) (startSeconds * SECOND), pause);
        replicas.add(replica);
        return replica;
    }

    /** Runs every replica's callers until the end, then lets the calls in flight end. */
    RateLimitSimulation run() {
        List<Mono<Void>> all = new ArrayList<>();
        for (Replica replica : replicas) {
            Mono<Void> loop = Mono.defer(replica::call)
                    .then(replica.pause.isZero() ? Mono.empty() : Mono.delay(replica.pause, time).then())
                    .repeat(() -> now() < runNanos).then();
            all.add(Mono.delay(Duration.ofNanos(replica.start), time)
                    .thenMany(Flux.range(0, replica.callers).flatMap(c -> loop, Math.max(1, replica.callers)))
                    .then());
            for (Sequence sequence : replica.sequences) {
                all.add(Mono.delay(Duration.ofNanos(sequence.start), time)
                        .then(Flux.range(0, sequence.calls).concatMap(i -> replica.call()).then())
                        .doOnSuccess(done -> sequence.end = now()));
            }
        }
        var done = Mono.when(all).toFuture();
        if (Boolean.getBoolean("sim.trace")) {
            Flux.interval(Duration.ofMillis(250), time).take(runNanos / (250 * MS)).subscribe(i -> {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "t=%5.2f api=%5.1f", now() / 1e9, apiTokens));
                for (Replica r : replicas) {
                    line.append(String.format(Locale.ROOT, " | rate=%7.1f req=%d 429=%d", r.limiter.rate(), r.requests, r.throttled));
                }
                System.out.println(line);
            });
        }
        time.advanceTimeBy(Duration.ofNanos(runNanos).plusSeconds(60));
        if (!done.isDone()) {
            throw new AssertionError("calls still running a minute after the end");
        }
        done.join();
        return this;
    }

    double measuredSeconds() {
        return (runNanos - measuredFrom) / (double) SECOND;
    }

    /** The API's limit integrated over the measured part, the most it could admit there. */
    double apiCapacityMeasured() {
        double total = 0;
        for (long t = measuredFrom; t < runNanos; t += MS) {
            total += limitAt.applyAsDouble(t / (double) SECOND) / 1000.0;
        }
        return total;
    }

    private long now() {
        return time.now(TimeUnit.NANOSECONDS);
    }

    /** The API's bucket (none for a limit of 0), and its stray refusals: admits one request now, or not. */
    private boolean admit(long now) {
        Long stray = strayRefusals.floor(now);
        if (stray != null) {
            strayRefusals.remove(stray);
            return false;
        }
        double limit = limitAt.applyAsDouble(now / (double) SECOND);
        if (limit <= 0) {
            return true;
        }
        apiTokens = Math.min(limit, apiTokens + (now - apiRefilledAt) / (double) SECOND * limit);
        apiRefilledAt = now;
        if (apiTokens >= 1) {
            apiTokens -= 1;
            return true;
        }
        return false;
    }

    private Duration wire() {
        return jitterNanos == 0 ? oneWay : oneWay.plusNanos(random.nextLong(jitterNanos + 1));
    }

    /** Calls one after the other on a replica, from a start time: a listing's pages. */
    static final class Sequence {
        final long start;
        final int calls;
        long end = -1;

        Sequence(long start, int calls) {
            this.start = start;
            this.calls = calls;
        }

        /** How long the calls took, from the first one's start to the last one's end. */
        Duration duration() {
            if (end < 0) {
                throw new AssertionError("the sequence did not end");
            }
            return Duration.ofNanos(end - start);
        }
    }

    /** One client: its limiter, its callers, and what happened to them. */
    final class Replica {
        final RateLimiter limiter;
        final int callers;
        final long start;
        final Duration pause;
        final List<Sequence> sequences = new ArrayList<>();
        long calls;
        long succeeded;
        long refusedByLimiter;
        long requestsMeasured;
        long throttledMeasured;
        long admittedMeasured;
        long requests;
        long throttled;

        Replica(RateLimiter limiter, int callers, long start, Duration pause) {
            this.limiter = limiter;
            this.callers = callers;
            this.start = start;
            this.pause = pause;
        }

        /** Adds {@code calls} calls one after the other from {@code atSeconds}, on this replica's limiter. */
        Sequence sequence(double atSeconds, int calls) {
            Sequence sequence = new Sequence((long) (atSeconds * SECOND), calls);
            sequences.add(sequence);
            return sequence;
        }

        Mono<Void> call() {
            calls++;
            return attempt(1).doOnNext(ok -> {
                if (ok) {
                    succeeded++;
                }
            }).then();
        }

        private Mono<Boolean> attempt(int attempt) {
            return limiter.permit()
                    .map(waited -> true)
                    .defaultIfEmpty(false)
                    .flatMap(permitted -> {
                        if (!permitted) {
                            refusedByLimiter++;
                            // a refusal takes no time; the caller's next call a millisecond later
                            // keeps virtual time moving
                            return Mono.delay(Duration.ofMillis(1), time).thenReturn(false);
                        }
                        return Mono.delay(wire(), time).flatMap(x -> {
                            long at = now();
                            boolean admitted = admit(at);
                            record(at, admitted);
                            return Mono.delay(wire(), time).flatMap(y -> {
                                if (admitted) {
                                    limiter.onAdmitted();
                                    return Mono.just(true);
                                }
                                limiter.onThrottled(Duration.ofSeconds(1));
                                return attempt < MAX_TRIES
                                        ? Mono.delay(Duration.ofSeconds(1), time).then(attempt(attempt + 1))
                                        : Mono.just(false);
                            });
                        });
                    });
        }

        private void record(long at, boolean admitted) {
            requests++;
            throttled += admitted ? 0 : 1;
            if (at >= measuredFrom && at < runNanos) {
                requestsMeasured++;
                throttledMeasured += admitted ? 0 : 1;
                admittedMeasured += admitted ? 1 : 0;
            }
        }

        double successShare() {
            return succeeded / (double) Math.max(1, calls);
        }

        double throttledShareMeasured() {
            return throttledMeasured / (double) Math.max(1, requestsMeasured);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d calls, %.2f%% got their value, %d refused by the limiter; %d requests,"
                            + " %d 429s; measured: %d requests, %.2f%% 429s, %.1f admitted/s", calls,
                    100 * successShare(), refusedByLimiter, requests, throttled, requestsMeasured,
                    100 * throttledShareMeasured(), admittedMeasured / measuredSeconds());
        }
    }
}
