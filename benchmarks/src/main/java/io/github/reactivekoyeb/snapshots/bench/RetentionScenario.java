package io.github.reactivekoyeb.snapshots.bench;

import io.github.reactivekoyeb.snapshots.KoyebException;
import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.retention.RetentionOutcome;
import io.github.reactivekoyeb.snapshots.retention.RetentionPlan;
import io.github.reactivekoyeb.snapshots.retention.RetentionPolicy;
import io.github.reactivekoyeb.snapshots.retention.SnapshotRetention;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * S9, snapshot retention (issue 26). Planning: 100,000 snapshots of 1,000 volumes (100 nightly
 * snapshots each), served by a server that renders any window of the listing on the fly, planned by
 * a child JVM at {@code -Xmx128m} ({@link #main}); printed: its requests against a plain listing's
 * in the same run, its time, and the heap after GC with the plan held. Applying: 2,000 deletions
 * (with the read before each) against the fake server at a limit of 100 requests per second (429 and
 * {@code Retry-After: 1} beyond); printed: the requests per second against the limit, the share
 * refused, and the outcomes (every error typed).
 */
final class RetentionScenario {

    private static final int SNAPSHOTS = 100_000;
    private static final int VOLUMES = 1_000;
    private static final Instant FIRST = Instant.parse("2026-08-28T02:00:00Z");
    private static final RetentionPolicy POLICY = RetentionPolicy.builder().keepDaily(7).keepWeekly(4).keepMonthly(3)
            .build();

    private RetentionScenario() {
    }

    static void run() throws Exception {
        plan();
        apply();
    }

    /** The child: {@code plan <baseUrl>} plans and prints the heap; {@code list <baseUrl>} lists plainly. */
    public static void main(String[] args) {
        try (ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(args[1]).build()) {
            long start = System.nanoTime();
            if (args[0].equals("plan")) {
                RetentionPlan plan = SnapshotRetention.of(client).plan(POLICY).block();
                long nanos = System.nanoTime() - start;
                System.gc();
                long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                System.out.printf(Locale.ROOT, "done %d %d %d %d %d%n", plan.decisions().size(), plan.toDelete().size(),
                        nanos, heap, Runtime.getRuntime().maxMemory());
            } else {
                long count = client.listSnapshots(ListSnapshotsRequest.builder().pageSize(100).build()).count().block();
                System.out.printf(Locale.ROOT, "done %d %d%n", count, System.nanoTime() - start);
            }
        }
    }

    private static void plan() throws Exception {
        AtomicLong requests = new AtomicLong();
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> {
                    requests.incrementAndGet();
                    Map<String, String> query = query(request.uri());
                    long offset = Long.parseLong(query.getOrDefault("offset", "0"));
                    int limit = Integer.parseInt(query.getOrDefault("limit", "100"));
                    return response.header("Content-Type", "application/json")
                            .sendString(Mono.fromSupplier(() -> page(offset, limit)));
                })
                .bindNow();
        try {
            String baseUrl = "http://127.0.0.1:" + server.port();
            String[] listed = child("list", baseUrl);
            long plain = requests.getAndSet(0);
            String[] planned = child("plan", baseUrl);
            long planning = requests.get();
            if (listed == null || planned == null) {
                BenchMain.row("| S9 retention: planning 100,000 snapshots of 1,000 volumes at -Xmx128m | completed | **no** |");
                return;
            }
            BenchMain.row(String.format(Locale.ROOT, "| S9 retention: planning 100,000 snapshots of 1,000 volumes, -Xmx128m"
                            + " | requests, against a plain listing's | %d against %d: **%.3fx** |", planning, plain,
                    planning / (double) plain));
            BenchMain.row(String.format(Locale.ROOT, "| | decisions / to delete; time (plain listing's); heap after GC"
                            + " with the plan held, of the maximum | %s / %s; %.2f s (%.2f s); %.1f MiB of %.0f MiB |",
                    planned[1], planned[2], Long.parseLong(planned[3]) / 1e9, Long.parseLong(listed[2]) / 1e9,
                    Long.parseLong(planned[4]) / 1048576.0, Long.parseLong(planned[5]) / 1048576.0));
        } finally {
            server.disposeNow();
        }
    }

    /** Runs a child at -Xmx128m; its {@code done} line's words, or null when it failed. */
    private static String[] child(String mode, String baseUrl) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx128m", BenchMain.logging(), "-cp", System.getProperty("java.class.path"),
                RetentionScenario.class.getName(), mode, baseUrl).redirectErrorStream(true).start();
        String done = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("done ")) {
                    done = line;
                } else if (line.contains("Exception") || line.contains("Error")) {
                    System.err.println("S9 child: " + line);
                }
            }
        }
        return child.waitFor() == 0 && done != null ? done.split(" ") : null;
    }

    /** The snapshots from {@code offset}, in the listing's order: volume {@code i % 1000}, night {@code i / 1000}. */
    private static String page(long offset, int limit) {
        long end = Math.min(SNAPSHOTS, offset + limit);
        StringBuilder sb = new StringBuilder(420 * limit).append("{\"snapshots\":[");
        for (long i = offset; i < end; i++) {
            Instant created = FIRST.plus(Duration.ofDays(i / VOLUMES)).plusSeconds(i % VOLUMES);
            sb.append(i == offset ? "" : ",").append("{\"id\":\"snap-").append(i).append("\",\"name\":\"nightly-")
                    .append(i).append("\",\"size\":\"10737418240\",\"created_at\":\"").append(created)
                    .append("\",\"updated_at\":\"").append(created).append("\",\"organization_id\":\"org-1\"")
                    .append(",\"parent_volume_id\":\"vol-").append(i % VOLUMES).append("\",\"region\":\"fra\"")
                    .append(",\"status\":\"SNAPSHOT_STATUS_AVAILABLE\",\"type\":\"SNAPSHOT_TYPE_REMOTE\"}");
        }
        return sb.append("],\"limit\":\"").append(limit).append("\",\"offset\":\"").append(offset)
                .append("\",\"has_next\":").append(end < SNAPSHOTS).append('}').toString();
    }

    private static Map<String, String> query(String uri) {
        Map<String, String> query = new java.util.HashMap<>();
        int at = uri.indexOf('?');
        if (at >= 0) {
            for (String pair : uri.substring(at + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return query;
    }

    private static void apply() {
        try (FakeKoyebServer server = FakeKoyebServer.builder().recordRequests(false).build();
             ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).build()) {
            for (int volume = 0; volume < 20; volume++) {
                server.seedHistory("vol-" + volume, "nightly-", FIRST, Duration.ofDays(1), 110);
            }
            SnapshotRetention retention = SnapshotRetention.of(client);
            RetentionPlan plan = retention.plan(RetentionPolicy.builder().keepLast(10).build()).block();
            server.rateLimit(100);
            long admittedBefore = server.admittedCount();
            long refusedBefore = server.throttledCount();
            long start = System.nanoTime();
            List<RetentionOutcome> outcomes = retention.apply(plan).collectList().block();
            double seconds = (System.nanoTime() - start) / 1e9;
            long admitted = server.admittedCount() - admittedBefore;
            long refused = server.throttledCount() - refusedBefore;
            Map<RetentionOutcome.Result, Integer> results = new EnumMap<>(RetentionOutcome.Result.class);
            outcomes.forEach(o -> results.merge(o.result(), 1, Integer::sum));
            long untyped = outcomes.stream().filter(o -> o.error().isPresent() && !(o.error().get() instanceof KoyebException))
                    .count();
            BenchMain.row(String.format(Locale.ROOT, "| S9 retention: applying %d deletions (read, then delete) at a"
                            + " limit of 100/s | requests admitted per second, of the limit; refused with 429 | %.1f: **%.1f%%**;"
                            + " **%.2f%%** |", plan.toDelete().size(), admitted / seconds, admitted / seconds,
                    100.0 * refused / Math.max(1, admitted + refused)));
            BenchMain.row(String.format(Locale.ROOT, "| | outcomes; untyped errors; time | %s; **%d**; %.1f s |", results,
                    untyped, seconds));
        }
    }
}
