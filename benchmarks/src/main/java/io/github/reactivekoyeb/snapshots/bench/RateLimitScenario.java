package io.github.reactivekoyeb.snapshots.bench;

import io.github.reactivekoyeb.snapshots.ClientEventListener;
import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.RateLimiter;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.redis.RedisRateLimiter;
import io.github.reactivekoyeb.snapshots.support.TestRedis;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * S8, the rate-limited API of issues 19 and 25 over real HTTP: the fake server admits a limit of
 * requests per second (a token bucket of one second's worth) and answers the rest 429 with
 * {@code Retry-After: 1}; 400 callers in all call {@code getSnapshot} again as soon as their call
 * ends, for 12 s. Printed: the share of calls that got their value, and for the second half the
 * share of requests refused with 429 and the admitted rate against the limit (and each replica's
 * share); with the default client at 150, 20 and 1,000 per second, with a limit that changes from
 * 150 to 60 at 6 s (16 s, measured over the last 6), with two and four clients that share nothing
 * (the 400 callers split between them), and without the limiter. Then a stray 429 met by a quiet
 * client, and, where the API has no limit, S1's listing and S4's 2,000 concurrent calls with the
 * default client against one without a limiter, interleaved in one run. {@code BENCH_S8=replicas}
 * runs the two replica scenarios ten times ({@code -Dbench.runs=N} in the child), {@code stray} the
 * stray 429 alone, {@code shared} the replicas on a shared {@code RedisRateLimiter} (issue 35).
 */
final class RateLimitScenario {

    private static final int CALLERS = 400;
    private static final boolean TRACE = System.getenv("BENCH_TRACE") != null;

    private RateLimitScenario() {
    }

    static void run() throws InterruptedException {
        String only = System.getenv("BENCH_S8");
        if ("nolimit".equals(only)) {
            noLimitCost();
            return;
        }
        if ("replicas".equals(only)) {
            for (int run = 0; run < Integer.getInteger("bench.runs", 10); run++) {
                limited("150/s, two default clients (replicas), 200 callers each", t -> 150, 12, 2, null);
                limited("150/s, four default clients (replicas), 100 callers each", t -> 150, 12, 4, null);
            }
            return;
        }
        if ("stray".equals(only)) {
            strayThrottle();
            return;
        }
        if ("shared".equals(only) || "shared-replicas".equals(only)) {
            shared(Integer.getInteger("bench.runs", 10), "shared-replicas".equals(only));
            return;
        }
        if (only != null) {
            limited(only + "/s", t -> Double.parseDouble(only), 12, 1, null);
            return;
        }
        limited("150/s, default client", t -> 150, 12, 1, null);
        limited("20/s, default client", t -> 20, 12, 1, null);
        limited("1,000/s, default client", t -> 1_000, 12, 1, null);
        limited("150/s then 60/s from 6 s, default client", t -> t < 6 ? 150 : 60, 16, 1, null);
        limited("150/s, two default clients (replicas), 200 callers each", t -> 150, 12, 2, null);
        limited("150/s, four default clients (replicas), 100 callers each", t -> 150, 12, 4, null);
        limited("150/s, without the limiter (`RateLimiter.NONE`)", t -> 150, 12, 1, RateLimiter.NONE);
        strayThrottle();
        noLimitCost();
        shared(1, false);
    }

    /**
     * The replicas sharing one {@link RedisRateLimiter} budget over a real Redis (a
     * {@code redis-server} from the PATH, else the one in {@code org.signal:embedded-redis}): two,
     * four and eight replicas ({@code runs} times each), one replica that starts 5 s late, one
     * client alone at 150, 20 and 1,000 per second, and, where the API has no limit, S4's 2,000
     * concurrent calls with the shared limiter against the default client; with {@code replicasOnly},
     * the two, four and eight replicas only ({@code BENCH_S8=shared-replicas}).
     */
    private static void shared(int runs, boolean replicasOnly) throws InterruptedException {
        try (TestRedis redis = TestRedis.start()) {
            RedisClient client = redis.client();
            try {
                // BENCH_SHARED_ONLY=2, 4 or 8: that fleet alone
                String sizes = System.getenv().getOrDefault("BENCH_SHARED_ONLY", "248");
                if (sizes.equals("1")) {
                    runs = 0;
                }
                for (int run = 0; run < runs; run++) {
                    if (sizes.contains("2")) {
                        limited("150/s, two replicas sharing a RedisRateLimiter, 200 callers each", t -> 150, 12, 2,
                                fleetOf(client), 0);
                    }
                    if (sizes.contains("4")) {
                        limited("150/s, four replicas sharing a RedisRateLimiter, 100 callers each", t -> 150, 12, 4,
                                fleetOf(client), 0);
                    }
                    if (sizes.contains("8")) {
                        limited("150/s, eight replicas sharing a RedisRateLimiter, 50 callers each", t -> 150, 12, 8,
                                fleetOf(client), 0);
                    }
                }
                if (replicasOnly) {
                    if (sizes.contains("1")) { // BENCH_SHARED_ONLY=1: the one-client rows
                        limited("150/s, one client on a RedisRateLimiter", t -> 150, 12, 1, fleetOf(client), 0);
                        limited("20/s, one client on a RedisRateLimiter", t -> 20, 12, 1, fleetOf(client), 0);
                        limited("1,000/s, one client on a RedisRateLimiter", t -> 1_000, 12, 1, fleetOf(client), 0);
                    }
                    return;
                }
                limited("150/s, four replicas sharing a RedisRateLimiter, the fourth 5 s late", t -> 150, 12, 4,
                        fleetOf(client), 5);
                limited("150/s, one client on a RedisRateLimiter", t -> 150, 12, 1, fleetOf(client), 0);
                limited("20/s, one client on a RedisRateLimiter", t -> 20, 12, 1, fleetOf(client), 0);
                limited("1,000/s, one client on a RedisRateLimiter", t -> 1_000, 12, 1, fleetOf(client), 0);
                sharedNoLimitCost(client);
            } finally {
                client.shutdown();
            }
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger BUDGETS = new java.util.concurrent.atomic.AtomicInteger();

    /** The limiters of one fleet: one RedisRateLimiter per replica, all on one new budget. */
    private static IntFunction<@Nullable RateLimiter> fleetOf(RedisClient client) {
        String budget = "bench-" + BUDGETS.incrementAndGet();
        return i -> RedisRateLimiter.builder(client).budget(budget).build();
    }

    /** S4's 2,000 concurrent calls where the API has no limit: on a RedisRateLimiter against the default client. */
    private static void sharedNoLimitCost(RedisClient redis) {
        try (PageServer server = new PageServer(100);
             RedisRateLimiter limiter = RedisRateLimiter.builder(redis).budget("bench-nolimit").build();
             ReactiveSnapshotsClient shared = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl())
                     .rateLimiter(limiter).build();
             ReactiveSnapshotsClient adaptive = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).build()) {
            double[][] burst = new double[2][15];
            ReactiveSnapshotsClient[] clients = {shared, adaptive};
            for (int round = -5; round < 15; round++) {
                for (int c = 0; c < 2; c++) {
                    System.gc();
                    ReactiveSnapshotsClient client = clients[c];
                    long start = System.nanoTime();
                    Flux.range(0, 2_000).flatMap(i -> client.getSnapshot("snap-" + i).onErrorResume(e -> Mono.empty()),
                            2_000).then().block();
                    double wall = (System.nanoTime() - start) / 1e6;
                    if (round >= 0) {
                        burst[c][round] = wall;
                    }
                }
            }
            double b0 = BenchMain.median(burst[0]);
            double b1 = BenchMain.median(burst[1]);
            BenchMain.row(String.format(Locale.ROOT, "| S8 no limit: S4's 2,000 concurrent calls, default client /"
                    + " `RedisRateLimiter` | calls/s (median of 15, interleaved) | %.0f / %.0f: **%.3fx** (Redis commands:"
                    + " %d for %d calls) |", 2_000 / (b1 / 1e3), 2_000 / (b0 / 1e3), b1 / b0, limiter.redisCommands(),
                    20 * 2_000));
        }
    }

    /** One client's callers and what became of them. */
    private static final class Replica {
        final ReactiveSnapshotsClient client;
        final RateLimiter limiter;
        final LongAdder calls = new LongAdder();
        final LongAdder succeeded = new LongAdder();
        final LongAdder throttled = new LongAdder();
        final int callers;

        Replica(String baseUrl, @Nullable RateLimiter limiter, int callers) {
            this.callers = callers;
            ReactiveSnapshotsClient.Builder builder = ReactiveSnapshotsClient.builder().baseUrl(baseUrl)
                    .eventListener(new ClientEventListener() {
                        @Override
                        public void onThrottled(String method, String uriTemplate, @Nullable Duration retryAfter,
                                double rate) {
                            throttled.increment();
                        }
                    });
            this.limiter = limiter != null ? limiter : RateLimiter.adaptive();
            builder.rateLimiter(this.limiter);
            this.client = builder.build();
        }

        Mono<Void> callers(long deadline) {
            return Flux.range(0, callers)
                    .flatMap(c -> Mono.defer(() -> {
                        calls.increment();
                        return client.getSnapshot("snap-000001").doOnNext(s -> succeeded.increment())
                                .then().onErrorResume(e -> Mono.empty());
                    }).repeat(() -> System.nanoTime() < deadline).then(), callers)
                    .then();
        }
    }

    private static void limited(String name, DoubleUnaryOperator limitAt, int seconds, int replicas,
            @Nullable RateLimiter limiter) throws InterruptedException {
        limited(name, limitAt, seconds, replicas, i -> limiter, 0);
    }

    /**
     * The scenario with each replica's limiter from {@code limiters} (null: a default client's own),
     * the last replica starting {@code lateSeconds} after the others (0: all at once).
     */
    static void limited(String name, DoubleUnaryOperator limitAt, int seconds, int replicas,
            IntFunction<@Nullable RateLimiter> limiters, int lateSeconds) throws InterruptedException {
        try (FakeKoyebServer server = FakeKoyebServer.builder().recordRequests(false).rateLimit(limitAt.applyAsDouble(0))
                .build()) {
            server.seed(1);
            List<Replica> clients = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                clients.add(new Replica(server.baseUrl(), limiters.apply(i), CALLERS / replicas));
            }
            long start = System.nanoTime();
            long deadline = start + Duration.ofSeconds(seconds).toNanos();
            int last = replicas - 1;
            var done = Flux.range(0, replicas).flatMap(i -> lateSeconds > 0 && i == last
                    ? Mono.delay(Duration.ofSeconds(lateSeconds)).then(clients.get(i).callers(deadline))
                    : clients.get(i).callers(deadline)).then().toFuture();
            // the late replica's part in the 2nd second after it started: [late + 1 s, late + 2 s)
            long lateFrom = start + Duration.ofSeconds(lateSeconds + 1).toNanos();
            long lateTo = start + Duration.ofSeconds(lateSeconds + 2).toNanos();
            long[] lateAtFrom = null;
            long[] lateAtTo = null;
            double changedAt = Double.NaN;
            long[] succeededAtHalf = new long[replicas];
            long[] throttledAtHalf = new long[replicas];
            long admittedAtHalf = 0;
            long throttledServerAtHalf = 0;
            int ticks = 0;
            long measureFrom = start + Duration.ofSeconds(seconds - 6).toNanos();
            double current = limitAt.applyAsDouble(0);
            for (long now = System.nanoTime(); now < deadline; now = System.nanoTime()) {
                Thread.sleep(10);
                double t = (System.nanoTime() - start) / 1e9;
                double limit = limitAt.applyAsDouble(t);
                if (limit != current) {
                    server.rateLimit(limit);
                    current = limit;
                    changedAt = t;
                }
                if (lateSeconds > 0 && lateAtFrom == null && System.nanoTime() >= lateFrom) {
                    lateAtFrom = clients.stream().mapToLong(r -> r.succeeded.sum()).toArray();
                }
                if (lateSeconds > 0 && lateAtTo == null && System.nanoTime() >= lateTo) {
                    lateAtTo = clients.stream().mapToLong(r -> r.succeeded.sum()).toArray();
                }
                if (admittedAtHalf == 0 && System.nanoTime() >= measureFrom) {
                    admittedAtHalf = server.admittedCount();
                    throttledServerAtHalf = server.throttledCount();
                    for (int i = 0; i < replicas; i++) {
                        succeededAtHalf[i] = clients.get(i).succeeded.sum();
                        throttledAtHalf[i] = clients.get(i).throttled.sum();
                    }
                }
                if (TRACE && (++ticks % 25) == 0) {
                    System.out.printf(Locale.ROOT, "t=%5.2f admitted=%d throttled=%d rate=%s%n", t, server.admittedCount(),
                            server.throttledCount(), clients.stream().map(r -> String.format(Locale.ROOT, "%.1f",
                                    r.limiter.rate())).toList());
                }
            }
            long admitted = server.admittedCount() - admittedAtHalf;
            long refused = server.throttledCount() - throttledServerAtHalf;
            long[] succeededMeasured = new long[replicas];
            for (int i = 0; i < replicas; i++) {
                succeededMeasured[i] = clients.get(i).succeeded.sum() - succeededAtHalf[i];
            }
            try {
                done.get(90, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the callers did not end: " + e, e);
            }
            double capacity = current * 6; // the limit over the measured 6 s
            long calls = clients.stream().mapToLong(r -> r.calls.sum()).sum();
            long succeeded = clients.stream().mapToLong(r -> r.succeeded.sum()).sum();
            BenchMain.row(String.format(Locale.ROOT, "| S8 rate limit: %s | calls that got their value | %d of %d: **%.2f%%** |",
                    name, succeeded, calls, 100.0 * succeeded / calls));
            BenchMain.row(String.format(Locale.ROOT, "| | last 6 s: requests refused with 429 / admitted rate against the"
                            + " limit | **%.2f%%** / %.1f per s: **%.1f%%** |", 100.0 * refused / Math.max(1, admitted + refused),
                    admitted / 6.0, 100.0 * admitted / capacity));
            if (replicas > 1) {
                long total = Arrays.stream(succeededMeasured).sum();
                BenchMain.row(String.format(Locale.ROOT, "| | last 6 s: each replica's share of the limit; the smallest"
                                + " part of what was admitted | %s; **%.3f** |",
                        Arrays.toString(Arrays.stream(succeededMeasured).mapToObj(s -> String.format(Locale.ROOT,
                                "%.1f%%", 100.0 * s / capacity)).toArray()),
                        Arrays.stream(succeededMeasured).min().orElse(0) / (double) Math.max(1, total)));
            }
            if (lateAtFrom != null && lateAtTo != null) {
                long all = 0;
                for (int i = 0; i < replicas; i++) {
                    all += lateAtTo[i] - lateAtFrom[i];
                }
                double fair = all / (double) replicas;
                BenchMain.row(String.format(Locale.ROOT, "| | the replica started %d s late, in its 2nd second: its"
                                + " values against a fair share | %d against %.1f: **%.2f** |", lateSeconds,
                        lateAtTo[last] - lateAtFrom[last], fair, (lateAtTo[last] - lateAtFrom[last]) / Math.max(1, fair)));
            }
            long commands = 0;
            for (Replica replica : clients) {
                replica.client.close();
                if (replica.limiter instanceof RedisRateLimiter shared) {
                    commands += shared.redisCommands();
                    shared.close();
                }
            }
            if (commands > 0) {
                long requests = server.admittedCount() + server.throttledCount();
                BenchMain.row(String.format(Locale.ROOT, "| | Redis commands per request sent (the whole run) | %d / %d:"
                        + " **%.3f** |", commands, requests, commands / (double) Math.max(1, requests)));
            }
        }
    }

    /**
     * The stray 429 of issue 25: a client that sends 2 requests a second to an API with no limit
     * meets one 429 with {@code Retry-After: 1}; 2 s later it lists 100 pages. Printed: the
     * listing's time, against the same listing on a client that met no 429 (medians of 5).
     */
    private static void strayThrottle() throws InterruptedException {
        double[][] millis = new double[2][5];
        try (FakeKoyebServer server = FakeKoyebServer.builder().recordRequests(false).build()) {
            server.seed(1_000);
            ListSnapshotsRequest pages = ListSnapshotsRequest.builder().pageSize(10).build();
            for (int round = 0; round < 5; round++) {
                for (int stray = 0; stray < 2; stray++) {
                    try (ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl())
                            .build()) {
                        long at429 = 0;
                        for (int i = 0; i < 4; i++) { // 2 requests a second, the third one refused
                            if (i == 2) {
                                at429 = System.nanoTime();
                                if (stray == 1) {
                                    server.failNext(1, 429, "1");
                                }
                            }
                            client.getSnapshot("snap-000001").onErrorResume(e -> Mono.empty()).block();
                            Thread.sleep(500);
                        }
                        Thread.sleep(Math.max(0, (at429 + 2_000_000_000L - System.nanoTime()) / 1_000_000));
                        long start = System.nanoTime();
                        long count = client.listSnapshots(pages).count().block();
                        millis[stray][round] = (System.nanoTime() - start) / 1e6;
                        if (count != 1_000) {
                            throw new IllegalStateException("listed " + count);
                        }
                    }
                }
            }
        }
        double without = BenchMain.median(millis[0]);
        double with = BenchMain.median(millis[1]);
        BenchMain.row(String.format(Locale.ROOT, "| S8 stray 429: a 100-page listing 2 s after one 429 met at 2 requests/s,"
                + " against no 429 | ms (median of 5) | %.0f against %.0f: **%.2fx** |", with, without, with / without));
    }

    /** Where the API has no limit: the default client (its limiter off) against one without a limiter. */
    private static void noLimitCost() {
        int total = 100_000;
        try (PageServer server = new PageServer(total);
             ReactiveSnapshotsClient adaptive = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).build();
             ReactiveSnapshotsClient none = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl())
                     .rateLimiter(RateLimiter.NONE).build()) {
            ListSnapshotsRequest request = ListSnapshotsRequest.builder().pageSize(100).build();
            double[][] listing = new double[2][15];
            double[][] burst = new double[2][15];
            ReactiveSnapshotsClient[] clients = {adaptive, none};
            for (int round = -5; round < 15; round++) {
                for (int c = 0; c < 2; c++) {
                    System.gc();
                    long start = System.nanoTime();
                    long count = clients[c].listSnapshots(request).count().block();
                    double rate = count / ((System.nanoTime() - start) / 1e9);
                    System.gc();
                    ReactiveSnapshotsClient client = clients[c];
                    start = System.nanoTime();
                    Flux.range(0, 2_000).flatMap(i -> client.getSnapshot("snap-" + i).onErrorResume(e -> Mono.empty()),
                            2_000).then().block();
                    double wall = (System.nanoTime() - start) / 1e6;
                    if (round >= 0) {
                        listing[c][round] = rate;
                        burst[c][round] = wall;
                    }
                }
            }
            double l0 = BenchMain.median(listing[0]);
            double l1 = BenchMain.median(listing[1]);
            double b0 = BenchMain.median(burst[0]);
            double b1 = BenchMain.median(burst[1]);
            BenchMain.row(String.format(Locale.ROOT, "| S8 no limit: S1's listing, default client / `RateLimiter.NONE` |"
                    + " snapshots/s (median of 15, interleaved) | %s / %s: **%.3fx** |", BenchMain.fmt(l0), BenchMain.fmt(l1),
                    l0 / l1));
            BenchMain.row(String.format(Locale.ROOT, "| S8 no limit: S4's 2,000 concurrent calls, default client /"
                    + " `RateLimiter.NONE` | wall time (median of 15) | %.0f / %.0f ms: **%.3fx** |", b0, b1, b0 / b1));
        }
    }
}
