package io.github.reactivekoyeb.snapshots.bench;

import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * S3, run in its own JVM at {@code -Xmx64m} by {@link BenchMain}: streams the whole listing through
 * {@code listSnapshots} and prints the heap in use after a full GC at each tenth of the way.
 */
public final class MemoryScenario {

    private MemoryScenario() {
    }

    public static void main(String[] args) throws InterruptedException {
        String baseUrl = args[0];
        long total = Long.parseLong(args[1]);
        boolean consistent = args.length > 2 && Boolean.parseBoolean(args[2]);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong seen = new AtomicLong();
        long start = System.nanoTime();
        try (ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(baseUrl).build()) {
            var done = client.listSnapshots(ListSnapshotsRequest.builder().pageSize(100).consistent(consistent).build())
                    .doOnNext(s -> seen.incrementAndGet())
                    .then()
                    .toFuture();
            long next = total / 10;
            while (!done.isDone()) {
                Thread.sleep(5);
                if (seen.get() >= next) {
                    System.gc();
                    System.out.printf("checkpoint %d %d%n", seen.get(), memory.getHeapMemoryUsage().getUsed());
                    next += total / 10;
                }
            }
            done.join();
        }
        long nanos = System.nanoTime() - start;
        System.gc();
        System.out.printf("done %d %d %d %d%n", seen.get(), nanos, memory.getHeapMemoryUsage().getUsed(),
                Runtime.getRuntime().maxMemory());
    }
}
