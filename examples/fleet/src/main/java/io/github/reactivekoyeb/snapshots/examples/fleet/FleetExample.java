package io.github.reactivekoyeb.snapshots.examples.fleet;

import io.github.reactivekoyeb.snapshots.RateLimiter;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.redis.RedisRateLimiter;
import io.github.reactivekoyeb.snapshots.support.TestRedis;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.lettuce.core.RedisClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Four replicas of a service, one API token, against the fake Koyeb server limited to 150
 * requests a second: first each with the client's own adaptive limiter (they share nothing and
 * split the limit by chance), then each with a {@link RedisRateLimiter} over one Redis (they share
 * one budget). Prints what each replica got of what the API admitted in the last 4 of 8 seconds.
 * It starts the fake server and a Redis of its own (the {@code redis-server} on the PATH, else
 * the Redis 7.0.15 binary of {@code org.signal:embedded-redis}).
 *
 * <p>Run it with {@code mvn -q -Pfleet test-compile exec:java} (see the README).
 */
public final class FleetExample {

    private static final String TOKEN = "fleet-example-token";
    private static final int REPLICAS = 4;
    private static final int CALLERS = 50;

    private FleetExample() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(System.out, Duration.ofSeconds(8)));
    }

    /**
     * Runs the example; {@code main} without the exit, for tests.
     *
     * @param out where to print
     * @param length how long each half runs (its second half is measured)
     * @return the exit status: 0 when the replicas on Redis each got at least a sixth
     * @throws InterruptedException if interrupted
     */
    public static int run(PrintStream out, Duration length) throws InterruptedException {
        try (TestRedis redis = TestRedis.start()) {
            RedisClient redisClient = redis.client();
            try {
                out.printf("%d replicas x %d callers, one token, an API limited to 150 requests/s.%n%n", REPLICAS, CALLERS);
                double[] alone = shares(out, "each client's own limiter", i -> RateLimiter.adaptive(), length);
                // every replica builds its own limiter, on the same Redis and the same token: one budget
                double[] shared = shares(out, "a RedisRateLimiter each, one Redis",
                        i -> RedisRateLimiter.builder(redisClient).token(TOKEN).build(), length);
                out.printf("%nThe smallest share: %.2f alone, %.2f shared (a fair share is %.2f).%n", min(alone),
                        min(shared), 1.0 / REPLICAS);
                return min(shared) >= 1.0 / (REPLICAS + 2) ? 0 : 1;
            } finally {
                redisClient.shutdown();
            }
        }
    }

    private static double[] shares(PrintStream out, String how, IntFunction<RateLimiter> limiters, Duration length)
            throws InterruptedException {
        try (FakeKoyebServer koyeb = FakeKoyebServer.builder().token(TOKEN).rateLimit(150).recordRequests(false).build()) {
            koyeb.seed(1);
            List<ReactiveSnapshotsClient> replicas = new ArrayList<>();
            List<LongAdder> values = new ArrayList<>();
            List<RateLimiter> used = new ArrayList<>();
            for (int i = 0; i < REPLICAS; i++) {
                RateLimiter limiter = limiters.apply(i);
                used.add(limiter);
                replicas.add(ReactiveSnapshotsClient.builder().baseUrl(koyeb.baseUrl()).token(TOKEN).rateLimiter(limiter)
                        .build());
                values.add(new LongAdder());
            }
            long end = System.nanoTime() + length.toNanos();
            var done = Flux.range(0, REPLICAS).flatMap(r -> Flux.range(0, CALLERS)
                    .flatMap(c -> Mono.defer(() -> replicas.get(r).getSnapshot("snap-000001"))
                            .doOnNext(s -> values.get(r).increment())
                            .onErrorResume(e -> Mono.empty())
                            .repeat(() -> System.nanoTime() < end), CALLERS)).then().toFuture();
            Thread.sleep(length.toMillis() / 2);
            long[] before = values.stream().mapToLong(LongAdder::sum).toArray();
            Thread.sleep(length.toMillis() / 2);
            long[] after = values.stream().mapToLong(LongAdder::sum).toArray();
            done.join();
            long total = 0;
            for (int i = 0; i < REPLICAS; i++) {
                total += after[i] - before[i];
            }
            double[] shares = new double[REPLICAS];
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < REPLICAS; i++) {
                shares[i] = (after[i] - before[i]) / (double) Math.max(1, total);
                line.append(String.format(Locale.ROOT, " %5.2f", shares[i]));
            }
            out.printf(Locale.ROOT, "%-36s shares:%s  (%.0f requests/s admitted)%n", how, line,
                    total / (length.toMillis() / 2000.0));
            replicas.forEach(ReactiveSnapshotsClient::close);
            used.stream().filter(l -> l instanceof RedisRateLimiter).forEach(l -> ((RedisRateLimiter) l).close());
            return shares;
        }
    }

    private static double min(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
        }
        return min;
    }
}
