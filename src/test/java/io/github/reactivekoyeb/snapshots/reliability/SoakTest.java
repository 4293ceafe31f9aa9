package io.github.reactivekoyeb.snapshots.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.ClientEventListener;
import io.github.reactivekoyeb.snapshots.CreateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.KoyebException;
import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.RetryReason;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.UpdateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.internal.ClientPool;
import io.github.reactivekoyeb.snapshots.support.BufferLeakAppender;
import io.github.reactivekoyeb.snapshots.support.NoBufferLeaksExtension;
import io.github.reactivekoyeb.snapshots.support.Slow;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.github.reactivekoyeb.snapshots.testing.FakeResponse;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A bounded soak: 200 concurrent workers mixing listings (some cancelled after a random count,
 * some with read-ahead), gets, creates, renames, deletes and waiters against the fake server,
 * 2% of whose answers are random faults of every kind. At the end: every call ended, no listing
 * lost or repeated a snapshot, the heap after GC with no call in flight grew by no more than
 * 10% from the end of a warm-up quarter to the end of the run, no buffer leaked, no connection
 * stays acquired.
 *
 * <p>It runs {@code -Dsoak.seconds} seconds: 25 in the normal build, minutes with
 * {@code mvn -Psoak verify}. It prints calls/s, latency percentiles, faults, retries and retry
 * budget denials.
 */
@Slow
class SoakTest {

    private static final int WORKERS = 200;
    private static final int SEEDED = 1_000;

    private final LongAdder calls = new LongAdder();
    private final LongAdder failedCalls = new LongAdder();
    private final LongAdder listings = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder budgetDenials = new LongAdder();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong ended = new AtomicLong();
    /** Latency histogram: 100 µs buckets up to 2 s, then one for anything longer; fixed size, so the heap stays flat. */
    private final AtomicLongArray latency = new AtomicLongArray(20_001);
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

    @Test
    void twoHundredWorkersUnderRandomFaults() throws InterruptedException {
        long seconds = Long.getLong("soak.seconds", 25);
        long seed = Long.getLong("koyeb.seed", new SplittableRandom().nextLong());
        NoBufferLeaksExtension.provokeReports();
        BufferLeakAppender.drain();
        try (FakeKoyebServer server = FakeKoyebServer.builder().recordRequests(false)
                .creationDelay(Duration.ofMillis(50)).deletionDelay(Duration.ofMillis(50)).build();
             ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl())
                     .responseTimeout(Duration.ofSeconds(2))
                     .retryPolicy(RetryPolicy.builder().initialBackoff(Duration.ofMillis(5))
                             .maxBackoff(Duration.ofMillis(50)).build())
                     .eventListener(counting())
                     .build()) {
            List<Snapshot> seeded = server.seed(SEEDED);
            server.randomFaults(0.02, seed, FakeResponse.status(503), FakeResponse.status(429).withRetryAfter("0"),
                    FakeResponse.status(500), FakeResponse.reset(), FakeResponse.disconnect(),
                    FakeResponse.truncated("{\"snapshots\":[{\"id\":\"cut\"}],\"has_next\":true}"),
                    FakeResponse.closeAfterHeaders(), FakeResponse.delayed(Duration.ofMillis(2_500)),
                    FakeResponse.status(200).withBody("<html>captive portal</html>", "text/html"));

            long startNanos = System.nanoTime();
            long total = Duration.ofSeconds(seconds).toNanos();
            ClientPool pool = ClientPool.of(client);
            // a warm-up quarter, then the heap with no call in flight: what the run has loaded,
            // cached and pooled once; a leak is what the other three quarters add to it
            runWorkers(client, server, seeded, seed, startNanos + total / 4, seconds, 0);
            long quietAfterWarmUp = quietHeap(pool);
            int openAfterWarmUp = pool.allocated();
            // under load the heap after GC also holds the pages, connections and retries in flight,
            // which follow the load (seen: up and down by 4 MiB in a 25 s run): printed, not compared
            List<Long> underLoad = runWorkers(client, server, seeded, seed + WORKERS, startNanos + total, seconds, 9);
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            server.clearScript();
            long quietAtEnd = quietHeap(pool);
            int openAtEnd = pool.allocated();

            NoBufferLeaksExtension.provokeReports();
            List<String> leaks = BufferLeakAppender.drain();

            System.out.printf(Locale.ROOT, "soak: %d workers, %.0f s, seed %d: %d calls (%.0f/s), %d failed with a typed"
                            + " error, %d listings; latency p50 %.1f ms, p99 %.1f ms; %d faults injected, %d retries, %d"
                            + " retry budget denials; heap after GC under load %s MiB; with no call in flight: after"
                            + " the warm-up %.1f MiB (%d connections open), at the end %.1f MiB (%d open, %+.1f%%);"
                            + " %d leak reports; %d acquired connections%n",
                    WORKERS, elapsed, seed, calls.sum(), calls.sum() / elapsed, failedCalls.sum(), listings.sum(),
                    percentile(0.50) / 10.0, percentile(0.99) / 10.0, server.faultsServed(),
                    retries.sum(), budgetDenials.sum(), underLoad.stream().map(b -> String.format(Locale.ROOT, "%.1f",
                            b / 1048576.0)).toList(), quietAfterWarmUp / 1048576.0, openAfterWarmUp, quietAtEnd / 1048576.0,
                    openAtEnd, (quietAtEnd - quietAfterWarmUp) * 100.0 / quietAfterWarmUp, leaks.size(), pool.acquired());

            assertThat(violations).as("listings that lost or repeated a snapshot, or foreign errors").isEmpty();
            assertThat(ended.get()).as("every call ended").isEqualTo(started.get());
            assertThat(calls.sum()).isGreaterThan(WORKERS);
            assertThat(server.faultsServed()).isPositive();
            // a leak shows as growth; a heap that shrinks (an earlier test class's leftovers collected
            // during the run, seen once in CI: 81.3 -> 70.8 MiB) is no failure
            assertThat((double) quietAtEnd).as("heap after GC with no call in flight, at the end against after the"
                    + " warm-up").isLessThanOrEqualTo(quietAfterWarmUp * 1.1);
            assertThat(leaks).isEmpty();
            assertThat(pool.acquired()).isZero();
        }
    }

    /** One worker: operations one after the other until the deadline. */
    private Mono<Void> worker(ReactiveSnapshotsClient client, FakeKoyebServer server, List<Snapshot> seeded,
            SplittableRandom random, long deadline) {
        return Mono.defer(() -> operation(client, server, seeded, random))
                .repeat(() -> System.nanoTime() < deadline)
                .then();
    }

    private Mono<Void> operation(ReactiveSnapshotsClient client, FakeKoyebServer server, List<Snapshot> seeded,
            SplittableRandom random) {
        int draw = random.nextInt(100);
        Mono<?> op;
        if (draw < 40) {
            // a whole listing, or one cancelled after a random count; with or without read-ahead
            boolean whole = draw < 25;
            ListingCheck check = new ListingCheck(seeded);
            op = client.listSnapshots(ListSnapshotsRequest.builder().pageSize(whole ? 100 : 50)
                            .readAhead(random.nextInt(3)).build())
                    .take(whole ? Long.MAX_VALUE : 1 + random.nextInt(600))
                    .doOnNext(check::accept)
                    .doOnComplete(() -> check.end(whole))
                    .then();
            listings.increment();
        } else if (draw < 75) {
            Snapshot wanted = seeded.get(random.nextInt(SEEDED));
            op = client.getSnapshot(wanted.id()).doOnNext(s -> {
                if (!s.id().equals(wanted.id())) {
                    violations.add("asked for " + wanted.id() + ", got " + s.id());
                }
            });
        } else if (draw < 88) {
            op = client.createSnapshot(CreateSnapshotRequest.of("vol-soak", "soak"))
                    .flatMap(s -> client.updateSnapshot(s.id(), new UpdateSnapshotRequest("soak-renamed"))
                            .then(client.deleteSnapshot(s.id()))
                            .then(client.awaitSnapshotStatus(s.id(), SnapshotStatus.DELETED, Duration.ofSeconds(10)))
                            // the store keeps only the seeded snapshots, so that it does not grow
                            .doFinally(signal -> server.remove(s.id())));
        } else {
            Snapshot wanted = seeded.get(random.nextInt(SEEDED));
            op = client.awaitSnapshotStatus(wanted.id(), wanted.status(), Duration.ofSeconds(10));
        }
        long start = System.nanoTime();
        started.incrementAndGet();
        return op.then()
                .onErrorResume(e -> {
                    if (!(e instanceof KoyebException)) {
                        violations.add("not a typed error: " + e);
                    }
                    failedCalls.increment();
                    return Mono.empty();
                })
                .doFinally(signal -> {
                    ended.incrementAndGet();
                    calls.increment();
                    latency.incrementAndGet((int) Math.min(20_000, (System.nanoTime() - start) / 100_000));
                });
    }

    /**
     * Checks a listing as it streams, keeping nothing but a position: it must start with the
     * seeded snapshots, in order, each once; a whole listing must hold them all. What follows them
     * is the workers' own creations, which come and go while listings run: offset paging cannot
     * promise anything there (a page fetched ahead may see an entry that a removal then shifts
     * into the page before), on Koyeb as here, so the check ends at the seeded ones.
     */
    private final class ListingCheck {
        private final List<Snapshot> seeded;
        private int index;
        private boolean failed;

        ListingCheck(List<Snapshot> seeded) {
            this.seeded = seeded;
        }

        void accept(Snapshot s) {
            if (failed || index >= seeded.size()) {
                return;
            }
            String expected = seeded.get(index).id();
            if (!s.id().equals(expected)) {
                failed = true;
                violations.add("a listing had " + s.id() + " where " + expected + " belongs (lost or repeated)");
            }
            index++;
        }

        void end(boolean whole) {
            if (whole && !failed && index < seeded.size()) {
                violations.add("a whole listing lost snapshots: " + index + " of " + seeded.size());
            }
        }
    }

    private ClientEventListener counting() {
        return new ClientEventListener() {
            @Override
            public void onRetry(String method, String uriTemplate, RetryReason reason, int retry, Duration delay) {
                retries.increment();
            }

            @Override
            public void onRetryBudgetExhausted(String method, String uriTemplate, RetryReason reason) {
                budgetDenials.increment();
            }
        };
    }

    /**
     * Runs the workers, each with its own random stream, until {@code deadline}, and waits for
     * every call to end. Meanwhile it reads the heap after GC {@code samples} times, evenly
     * spaced before the deadline, and returns those readings.
     */
    private List<Long> runWorkers(ReactiveSnapshotsClient client, FakeKoyebServer server, List<Snapshot> seeded,
            long seed, long deadline, long seconds, int samples) throws InterruptedException {
        long start = System.nanoTime();
        var workers = Flux.range(0, WORKERS)
                .flatMap(w -> worker(client, server, seeded, new SplittableRandom(seed + w), deadline), WORKERS)
                .then()
                .toFuture();
        List<Long> heap = new ArrayList<>(samples);
        for (int i = 1; i <= samples; i++) {
            long at = start + (deadline - start) * i / (samples + 1);
            Thread.sleep(Math.max(0, (at - System.nanoTime()) / 1_000_000));
            heap.add(heapAfterGc());
        }
        try {
            workers.get(seconds + 30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the workers did not all end: " + e, e);
        }
        return heap;
    }

    /** The heap after GC once every call has ended and every connection is back in the pool (up to 3 s). */
    private static long quietHeap(ClientPool pool) throws InterruptedException {
        for (int i = 0; i < 150 && pool.acquired() > 0; i++) {
            Thread.sleep(20);
        }
        return heapAfterGc();
    }

    /**
     * The heap in use right after a full collection. {@code System.gc()} may return without
     * collecting while a thread is in a JNI critical region (the GC locker), which gzip's
     * Inflater and Deflater enter all the time: so it is asked again until the old generation's
     * collector has really run, and the smaller of two such readings is kept.
     */
    private static long heapAfterGc() throws InterruptedException {
        long smallest = Long.MAX_VALUE;
        for (int readings = 0, tries = 0; readings < 2 && tries < 20; tries++) {
            long before = fullCollections();
            System.gc();
            if (fullCollections() > before) {
                smallest = Math.min(smallest, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                readings++;
            } else {
                Thread.sleep(10);
            }
        }
        return smallest == Long.MAX_VALUE ? ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()
                : smallest;
    }

    private static long fullCollections() {
        long count = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String name = gc.getName();
            if (!name.contains("Young") && !name.contains("Scavenge") && !name.contains("Copy")
                    && !name.contains("ParNew") && !name.contains("Concurrent")) {
                count += gc.getCollectionCount();
            }
        }
        return count;
    }

    /** The upper bound of the bucket holding the percentile, in 100 µs units. */
    private long percentile(double p) {
        long total = 0;
        for (int i = 0; i < latency.length(); i++) {
            total += latency.get(i);
        }
        long rank = (long) Math.ceil(p * total);
        long seen = 0;
        for (int i = 0; i < latency.length(); i++) {
            seen += latency.get(i);
            if (seen >= rank) {
                return i + 1;
            }
        }
        return latency.length();
    }
}
