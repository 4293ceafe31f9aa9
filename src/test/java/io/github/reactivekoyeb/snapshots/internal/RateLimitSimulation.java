package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.RateLimitSettings;
import io.github.reactivekoyeb.snapshots.RateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleUnaryOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The scenario in virtual time, deterministic and quick: an API that admits {@code limit}
 * requests per second (a token bucket of one second's worth) and answers the rest 429 with
 * {@code Retry-After: 1}; replicas of a client, each with a limiter of its own and callers that call
 * again as soon as their call ends; each call sent as the default client sends it (a permit before
 * each try, up to 3 retries of a 429 after its {@code Retry-After}), 1 ms each way on the wire.
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
    private final List<Replica> replicas = new ArrayList<>();
    private Duration oneWay = Duration.ofMillis(1);

    /** The time a request takes to reach the API, and its reply to come back: 1 ms unless set. */
    RateLimitSimulation oneWay(Duration latency) {
        this.oneWay = latency;
        return this;
    }

    /**
     * @param limitAt the API's limit, per second, at a time in seconds from the start
     * @param seconds how long the callers start calls
     * @param measuredFromSeconds from when the adapted figures are measured
     */
    RateLimitSimulation(DoubleUnaryOperator limitAt, double seconds, double measuredFromSeconds) {
        this.limitAt = limitAt;
        this.runNanos = (long) (seconds * SECOND);
        this.measuredFrom = (long) (measuredFromSeconds * SECOND);
        this.apiTokens = limitAt.applyAsDouble(0);
    }

    /** Adds a replica with a default adaptive limiter of its own. */
    Replica replica(int callers) {
        Replica replica = new Replica(new AdaptiveRateLimiter(RateLimitSettings.defaults(), time), callers);
        replicas.add(replica);
        return replica;
    }

    /** Runs every replica's callers until the end, then lets the calls in flight end. */
    RateLimitSimulation run() {
        List<Mono<Void>> all = new ArrayList<>();
        for (Replica replica : replicas) {
            all.add(Flux.range(0, replica.callers)
                    .flatMap(c -> Mono.defer(replica::call).repeat(() -> now() < runNanos).then(), replica.callers)
                    .then());
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

    /** The API's bucket: admits one request now, or not. */
    private boolean admit(long now) {
        double limit = limitAt.applyAsDouble(now / (double) SECOND);
        apiTokens = Math.min(limit, apiTokens + (now - apiRefilledAt) / (double) SECOND * limit);
        apiRefilledAt = now;
        if (apiTokens >= 1) {
            apiTokens -= 1;
            return true;
        }
        return false;
    }

    /** One client: its limiter, its callers, and what happened to them. */
    final class Replica {
        final RateLimiter limiter;
        final int callers;
        long calls;
        long succeeded;
        long refusedByLimiter;
        long requestsMeasured;
        long throttledMeasured;
        long admittedMeasured;
        long requests;
        long throttled;

        Replica(RateLimiter limiter, int callers) {
            this.limiter = limiter;
            this.callers = callers;
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
                            if (Boolean.getBoolean("sim.trace") && refusedByLimiter < 30) {
                                System.out.println("refused at " + now() / 1e9 + " rate " + limiter.rate() + " " + limiter);
                            }
                            // a refusal takes no time; the caller's next call a millisecond later
                            // keeps virtual time moving
                            return Mono.delay(Duration.ofMillis(1), time).thenReturn(false);
                        }
                        return Mono.delay(oneWay, time).flatMap(x -> {
                            long at = now();
                            boolean admitted = admit(at);
                            record(at, admitted);
                            return Mono.delay(oneWay, time).flatMap(y -> {
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
            return succeeded / (double) calls;
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
