package io.github.reactivekoyeb.snapshots.bench;

import io.github.reactivekoyeb.snapshots.ClientEventListener;
import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.RateLimiter;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleUnaryOperator;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * S8, the rate-limited API of issue 19 over real HTTP: the fake server admits a limit of requests
 * per second (a token bucket of one second's worth) and answers the rest 429 with
 * {@code Retry-After: 1}; 400 callers per client call {@code getSnapshot} again as soon as their call
 * ends, for 12 s. Printed: the share of calls that got their value, and for the second half the
 * share of requests refused with 429 and the admitted rate against the limit; with the default
 * client at 150, 20 and 1,000 per second, with a limit that changes from 150 to 60 at 6 s (16 s,
 * measured over the last 6), with two clients that share nothing, and without the limiter. Then,
 * where the API has no limit, S1's listing and S4's 2,000 concurrent calls with the default client
 * against one without a limiter, interleaved in one run.
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
        if (only != null) {
            limited(only + "/s", t -> Double.parseDouble(only), 12, 1, null);
            return;
        }
        limited("150/s, default client", t -> 150, 12, 1, null);
        limited("20/s, default client", t -> 20, 12, 1, null);
        limited("1,000/s, default client", t -> 1_000, 12, 1, null);
        limited("150/s then 60/s from 6 s, default client", t -> t < 6 ? 150 : 60, 16, 1, null);
        limited("150/s, two default clients (replicas)", t -> 150, 12, 2, null);
        limited("150/s, without the limiter (`RateLimiter.NONE`)", t -> 150, 12, 1, RateLimiter.NONE);
        noLimitCost();
    }

    /** One client's callers and what became of them. */
    private static final class Replica {
        final ReactiveSnapshotsClient client;
        final RateLimiter limiter;
        final LongAdder calls = new LongAdder();
        final LongAdder succeeded = new LongAdder();
        final LongAdder throttled = new LongAdder();

        Replica(String baseUrl, @Nullable RateLimiter limiter) {
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
            return Flux.range(0, CALLERS)
                    .flatMap(c -> Mono.defer(() -> {
                        calls.increment();
                        return client.getSnapshot("snap-000001").doOnNext(s -> succeeded.increment())
                                .then().onErrorResume(e -> Mono.empty());
                    }).repeat(() -> System.nanoTime() < deadline).then(), CALLERS)
                    .then();
        }
    }

    private static void limited(String name, DoubleUnaryOperator limitAt, int seconds, int replicas,
            @Nullable RateLimiter limiter) throws InterruptedException {
        try (FakeKoyebServer server = FakeKoyebServer.builder().recordRequests(false).rateLimit(limitAt.applyAsDouble(0))
                .build()) {
            server.seed(1);
            List<Replica> clients = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                clients.add(new Replica(server.baseUrl(), limiter));
            }
            long start = System.nanoTime();
            long deadline = start + Duration.ofSeconds(seconds).toNanos();
            var done = Flux.fromIterable(clients).flatMap(r -> r.callers(deadline)).then().toFuture();
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
                BenchMain.row(String.format(Locale.ROOT, "| | last 6 s: each replica's share of the limit | %s |",
                        Arrays.toString(Arrays.stream(succeededMeasured).mapToObj(s -> String.format(Locale.ROOT,
                                "%.1f%%", 100.0 * s / capacity)).toArray())));
            }
            for (Replica replica : clients) {
                replica.client.close();
            }
        }
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
