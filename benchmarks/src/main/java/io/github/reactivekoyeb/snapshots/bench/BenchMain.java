package io.github.reactivekoyeb.snapshots.bench;

import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.internal.BenchDecoders;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark suite (issue 4): S1 throughput against two floors measured in the same run, S2 a
 * far API with and without read-ahead, S3 a million snapshots at {@code -Xmx64m}, S4 2,000
 * concurrent calls, S5 the client's overhead per call against a raw {@code WebClient}, S6
 * compression, S7 a watch's memory, S8 a rate-limited API ({@link RateLimitScenario}),
 * S9 snapshot retention ({@link RetentionScenario}), S10 snapshot schedules ({@link ScheduleScenario}).
 *
 * <p>Run with {@code mvn -q -Pbench test-compile exec:exec}; prints a table and writes it to
 * {@code target/bench-results.md}.
 */
public final class BenchMain {

    private static final StringBuilder REPORT = new StringBuilder();

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> only = Arrays.stream(args).filter(a -> !a.isBlank()).toList();
        row("| scenario | measure | value |");
        row("| --- | --- | --- |");
        if (only.isEmpty() || only.contains("S1")) {
            s1Throughput();
        }
        if (only.isEmpty() || only.contains("S2")) {
            s2FarApi();
        }
        if (only.isEmpty() || only.contains("S3")) {
            s3Memory();
        }
        if (only.isEmpty() || only.contains("S4")) {
            s4Concurrency();
            s4SideBySide();
        }
        if (only.isEmpty() || only.contains("S5")) {
            s5Overhead();
        }
        if (only.isEmpty() || only.contains("S6")) {
            s6Compression();
        }
        if (only.isEmpty() || only.contains("S7")) {
            s7WatchMemory();
        }
        if (only.isEmpty() || only.contains("S8")) {
            RateLimitScenario.run();
        }
        if (only.isEmpty() || only.contains("S9")) {
            RetentionScenario.run();
        }
        if (only.isEmpty() || only.contains("S10")) {
            ScheduleScenario.run();
        }
        String machine = String.format(Locale.ROOT, "%d cores, Java %s (%s), %s %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("os.name"),
                System.getProperty("os.arch"));
        row("");
        row("Machine: " + machine);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "bench-results.md"), REPORT.toString());
        System.exit(0);
    }

    // ------------------------------------------------------------------ S1

    static void s1Throughput() {
        int total = 100_000;
        try (PageServer server = new PageServer(total);
             ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).build()) {
            HttpClient http = HttpClient.create(ConnectionProvider.create("floor", 64));
            // floor (b) decodes with Jackson's own data binding, as an application would: a plain
            // mapper reading the annotated records (the client decodes with its own streaming code)
            ObjectReader reader = JsonMapper.builder().build().readerFor(AppListReply.class);
            String base = server.baseUrl() + "/v1/snapshots?limit=100&offset=";
            int pages = total / PageServer.PAGE_SIZE;

            Supplier<Long> floorA = () -> Flux.range(0, pages)
                    .concatMap(p -> http.get().uri(base + p * 100L).responseContent().then(Mono.just(100L)))
                    .reduce(0L, Long::sum).block();
            Supplier<Long> floorB = () -> fetchAndDecode(http, base, pages,
                    in -> reader.<AppListReply>readValue(in).snapshots().size());
            Supplier<Long> floorC = () -> fetchAndDecode(http, base, pages, BenchDecoders.clientDecoder());
            Supplier<Long> listing = () -> client.listSnapshots(ListSnapshotsRequest.builder().pageSize(100).build())
                    .count().block();
            Supplier<Long> consistent = () -> client.listSnapshots(ListSnapshotsRequest.builder().pageSize(100)
                    .consistent(true).build()).count().block();

            List<Supplier<Long>> variants = List.of(floorA, floorB, floorC, listing, consistent);
            int measured = 15;
            double[][] rates = new double[variants.size()][];
            for (int v = 0; v < variants.size(); v++) {
                rates[v] = new double[measured];
            }
            // 5 warm-up rounds, then 15 measured; the variants interleaved, each after a GC, so that
            // JIT, GC and the other process on the 2 cores weigh on all of them alike
            for (int round = -5; round < measured; round++) {
                for (int v = 0; v < variants.size(); v++) {
                    System.gc();
                    long start = System.nanoTime();
                    long count = variants.get(v).get();
                    long nanos = System.nanoTime() - start;
                    if (count != total) {
                        throw new IllegalStateException("variant " + v + " saw " + count);
                    }
                    if (round >= 0) {
                        rates[v][round] = total / (nanos / 1e9);
                    }
                }
            }
            double a = median(rates[0]);
            double b = median(rates[1]);
            double d = median(rates[2]);
            double c = median(rates[3]);
            double k = median(rates[4]);
            row("| S1 throughput (100,000 snapshots, page 100, " + server.pageBytes() / 1024 + " KiB pages) | floor (a) Reactor Netty, bytes discarded | " + fmt(a) + " snapshots/s |");
            row("| | floor (b) Reactor Netty + Jackson decoding | " + fmt(b) + " snapshots/s |");
            row("| | floor (b') Reactor Netty + the client's own streaming decoder | " + fmt(d) + " snapshots/s |");
            row("| | `listSnapshots` | " + fmt(c) + " snapshots/s |");
            row(String.format(Locale.ROOT, "| | **client / floor (b)** (target >= 0.85) | **%.2f** (client / floor (b'): %.2f; client / floor (a): %.2f) |", c / b, c / d, c / a));
            row(String.format(Locale.ROOT, "| | `listSnapshots`, `consistent(true)` (overlap 9) | %s snapshots/s: **%.2fx** the plain listing |", fmt(k), k / c));
        }
    }

    private static long fetchAndDecode(HttpClient http, String base, int pages,
            java.util.function.ToIntFunction<InputStream> decoder) {
        return Flux.range(0, pages)
                .concatMap(p -> http.get().uri(base + p * 100L)
                        .responseSingle((response, body) -> body.asInputStream())
                        .map(in -> {
                            try (InputStream stream = in) {
                                return (long) decoder.applyAsInt(stream);
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }))
                .reduce(0L, Long::sum).block();
    }

    /** A list reply as an application's own DTO reads it, with the annotated model records. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record AppListReply(@com.fasterxml.jackson.annotation.JsonProperty("snapshots") List<Snapshot> snapshots,
            @com.fasterxml.jackson.annotation.JsonProperty("limit") long limit,
            @com.fasterxml.jackson.annotation.JsonProperty("offset") long offset,
            @com.fasterxml.jackson.annotation.JsonProperty("has_next") boolean hasNext) {
    }

    // ------------------------------------------------------------------ S7

    /** The memory a watch keeps: one entry per snapshot watched, measured over 100,000. */
    static void s7WatchMemory() throws InterruptedException {
        int total = 100_000;
        try (PageServer server = new PageServer(total);
             ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).build()) {
            java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
            long before = heapAfterGc(memory);
            java.util.concurrent.atomic.AtomicLong events = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.CountDownLatch firstPass = new java.util.concurrent.CountDownLatch(1);
            long start = System.nanoTime();
            var watch = client.watchSnapshots(ListSnapshotsRequest.builder().pageSize(100).build(), Duration.ofHours(1))
                    .subscribe(e -> {
                        if (events.incrementAndGet() == total) {
                            firstPass.countDown();
                        }
                    });
            firstPass.await();
            double secs = (System.nanoTime() - start) / 1e9;
            Thread.sleep(200); // the pass completes and its last page's buffers are released
            long after = heapAfterGc(memory);
            watch.dispose();
            row(String.format(Locale.ROOT, "| S7 watch (100,000 snapshots) | first pass, all `ADDED` | %.1f s |", secs));
            row(String.format(Locale.ROOT, "| | heap the watch keeps, after GC | %.1f MiB: **%d bytes per snapshot** |",
                    (after - before) / 1048576.0, (after - before) / total));
        }
    }

    private static long heapAfterGc(java.lang.management.MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    // ------------------------------------------------------------------ S6

    static void s6Compression() {
        int total = 10_000;
        try (PageServer server = new PageServer(total);
             ReactiveSnapshotsClient plain = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl())
                     .compression(false).build();
             ReactiveSnapshotsClient gzip = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).build()) {
            server.compression(true);
            Supplier<Long> listPlain = () -> plain.listSnapshots().count().block();
            Supplier<Long> listGzip = () -> gzip.listSnapshots().count().block();

            long before = server.bodyBytes();
            listPlain.get();
            long plainBytes = server.bodyBytes() - before;
            before = server.bodyBytes();
            listGzip.get();
            long gzipBytes = server.bodyBytes() - before;

            // a 20 Mbit/s link: each body takes its size over the bandwidth, one page after the other
            server.bandwidth(20_000_000);
            double[] slowPlain = new double[3];
            double[] slowGzip = new double[3];
            for (int round = -1; round < 3; round++) {
                double p = seconds(listPlain::get);
                double g = seconds(listGzip::get);
                if (round >= 0) {
                    slowPlain[round] = p;
                    slowGzip[round] = g;
                }
            }
            server.bandwidth(0);

            // loopback, where the link costs nothing: what inflating costs in CPU
            double[] fastPlain = new double[7];
            double[] fastGzip = new double[7];
            for (int round = -3; round < 7; round++) {
                System.gc();
                double p = seconds(listPlain::get);
                System.gc();
                double g = seconds(listGzip::get);
                if (round >= 0) {
                    fastPlain[round] = total / p;
                    fastGzip[round] = total / g;
                }
            }
            row(String.format(Locale.ROOT, "| S6 compression (10,000 snapshots, page 100) | bytes on the wire, plain / gzip | %s / %s = **%.3fx** (target <= 0.2) |",
                    fmt(plainBytes), fmt(gzipBytes), gzipBytes / (double) plainBytes));
            row(String.format(Locale.ROOT, "| | over a 20 Mbit/s link, plain / gzip | %.2f s / %.2f s = **%.1fx faster** (target >= 3) |",
                    median(slowPlain), median(slowGzip), median(slowPlain) / median(slowGzip)));
            row(String.format(Locale.ROOT, "| | loopback (CPU only), plain / gzip | %s / %s snapshots/s (gzip costs %.0f%%) |",
                    fmt(median(fastPlain)), fmt(median(fastGzip)), (1 - median(fastGzip) / median(fastPlain)) * 100));
        }
    }

    // ------------------------------------------------------------------ S2

    static void s2FarApi() {
        int total = 10_000;
        try (PageServer server = new PageServer(total);
             ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).build()) {
            server.latency(Duration.ofMillis(20));
            double[] sequential = new double[3];
            double[] ahead = new double[3];
            double[] consistentSequential = new double[3];
            double[] consistentAhead = new double[3];
            for (int round = -1; round < 3; round++) {
                double s = seconds(() -> client.listSnapshots(ListSnapshotsRequest.builder().pageSize(100).build())
                        .count().block());
                double r = seconds(() -> client.listSnapshots(ListSnapshotsRequest.builder().pageSize(100).readAhead(4)
                        .build()).count().block());
                double cs = seconds(() -> client.listSnapshots(ListSnapshotsRequest.builder().pageSize(100)
                        .consistent(true).build()).count().block());
                double cr = seconds(() -> client.listSnapshots(ListSnapshotsRequest.builder().pageSize(100).readAhead(4)
                        .consistent(true).build()).count().block());
                if (round >= 0) {
                    sequential[round] = s;
                    ahead[round] = r;
                    consistentSequential[round] = cs;
                    consistentAhead[round] = cr;
                }
            }
            double s = median(sequential);
            double r = median(ahead);
            row(String.format(Locale.ROOT, "| S2 far API (10,000 snapshots, page 100, +20 ms per request) | read-ahead 0 (sequential; floor 100 x 20 ms = 2.0 s) | %.2f s |", s));
            row(String.format(Locale.ROOT, "| | read-ahead 4 | %.2f s |", r));
            row(String.format(Locale.ROOT, "| | **speed-up** (target >= 3.5, limit 4) | **%.2fx** |", s / r));
            row(String.format(Locale.ROOT, "| | `consistent(true)`, read-ahead 0 / 4 | %.2f s / %.2f s: **%.2fx** / **%.2fx** the plain listing's time |",
                    median(consistentSequential), median(consistentAhead), median(consistentSequential) / s,
                    median(consistentAhead) / r));
        }
    }

    // ------------------------------------------------------------------ S3

    static void s3Memory() throws Exception {
        int total = 1_000_000;
        try (PageServer server = new PageServer(total)) {
            memoryRun(server, total, false, "S3 memory (1,000,000 snapshots, -Xmx64m)");
            memoryRun(server, total, true, "| S3 with `consistent(true)`");
        }
    }

    /** One listing of {@code total} snapshots in a child JVM at -Xmx64m, and its heap at each tenth. */
    private static void memoryRun(PageServer server, int total, boolean consistent, String label) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx64m", logging(), "-cp", System.getProperty("java.class.path"),
                MemoryScenario.class.getName(), server.baseUrl(), String.valueOf(total), String.valueOf(consistent))
                .redirectErrorStream(true).start();
        List<Long> checkpoints = new ArrayList<>();
        String done = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("checkpoint ")) {
                    checkpoints.add(Long.parseLong(line.split(" ")[2]));
                } else if (line.startsWith("done ")) {
                    done = line;
                } else if (line.contains("Exception") || line.contains("Error")) {
                    System.err.println("S3 child: " + line);
                }
            }
        }
        int exit = child.waitFor();
        String first = label.startsWith("| ") ? label.substring(2) : label;
        if (done == null || exit != 0) {
            row("| " + first + " | completed | **no** (exit " + exit + ") |");
            return;
        }
        String[] parts = done.split(" ");
        long seen = Long.parseLong(parts[1]);
        double secs = Long.parseLong(parts[2]) / 1e9;
        long start = checkpoints.isEmpty() ? 0 : checkpoints.get(0);
        long peak = checkpoints.stream().mapToLong(Long::longValue).max().orElse(0);
        long last = checkpoints.isEmpty() ? 0 : checkpoints.get(checkpoints.size() - 1);
        row(String.format(Locale.ROOT, "| %s | completed | **%s** (%,d snapshots in %.1f s, %s snapshots/s) |",
                first, seen == total ? "yes" : "no", seen, secs, fmt(seen / secs)));
        row(String.format(Locale.ROOT, "| | heap after GC at 10%% / peak / 100%% | %.1f / %.1f / %.1f MiB (%d checkpoints) |",
                start / 1048576.0, peak / 1048576.0, last / 1048576.0, checkpoints.size()));
    }

    // ------------------------------------------------------------------ S4

    static void s4Concurrency() {
        try (PageServer server = new PageServer(100);
             ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).build()) {
            client.getSnapshot("warm-up").block();
            long connectionsBefore = server.connections();
            int calls = 2000;
            long[] latencies = new long[calls];
            long[] errors = new long[1];
            long start = System.nanoTime();
            Flux.range(0, calls)
                    .flatMap(i -> {
                        long t0 = System.nanoTime();
                        return client.getSnapshot("snap-" + i)
                                .doOnSuccess(s -> latencies[i] = System.nanoTime() - t0)
                                .onErrorResume(e -> {
                                    errors[0]++;
                                    return Mono.empty();
                                });
                    }, calls)
                    .then().block();
            double wall = (System.nanoTime() - start) / 1e6;
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            row(String.format(Locale.ROOT, "| S4 concurrency (2,000 simultaneous `getSnapshot`) | wall time / errors | %.0f ms / **%d errors** |", wall, errors[0]));
            row(String.format(Locale.ROOT, "| | latency p50 / p99 / max | %.1f / %.1f / %.1f ms |",
                    sorted[calls / 2] / 1e6, sorted[(int) (calls * 0.99)] / 1e6, sorted[calls - 1] / 1e6));
            row("| | connections opened (pool `koyeb-snapshots`, max 64) | " + (server.connections() - connectionsBefore + 1) + " |");
        }
    }

    /**
     * S4 side by side (issue 27): 2,000 {@code GET}s subscribed at once, on pools of 64 connections,
     * by the floor (raw Reactor Netty, the reply decoded by the client's streaming decoder), the peer
     * (what a client generated for {@code WebClient} does: Spring's Jackson codec, one {@code GET} per
     * call) and {@code getSnapshot}; {@value #S4_WARM_UP} warm-up rounds (the JIT compiler takes that
     * long to settle on two cores: in three, the longest path, the client's, was still being
     * compiled), then {@value #S4_ROUNDS} measured, interleaved, each after a GC.
     * Printed: the median calls/s of each and their ratios.
     */
    static final int S4_WARM_UP = Integer.getInteger("bench.s4.warmUp", 15);
    static final int S4_ROUNDS = 7;

    static void s4SideBySide() {
        int calls = 2000;
        try (PageServer server = new PageServer(100);
             ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).build()) {
            // 64 connections and an unbounded queue for them, as the client has (Reactor Netty's default
            // queue of twice the pool refuses most of 2,000 calls at once)
            HttpClient http = HttpClient.create(ConnectionProvider.builder("floor-s4").maxConnections(64)
                    .pendingAcquireMaxCount(-1).build());
            WebClient peer = WebClient.builder().clientConnector(new ReactorClientHttpConnector(HttpClient.create(
                    ConnectionProvider.builder("peer-s4").maxConnections(64).pendingAcquireMaxCount(-1).build()))).build();
            String url = server.baseUrl() + "/v1/snapshots/";
            ParameterizedTypeReference<Map<String, Snapshot>> replyType = new ParameterizedTypeReference<>() { };
            java.util.function.Function<InputStream, Object> decoder = BenchDecoders.snapshotDecoder();
            List<java.util.function.IntFunction<Mono<?>>> contenders = List.of(
                    i -> http.get().uri(url + "snap-" + i).responseSingle((response, body) -> body.asInputStream())
                            .map(in -> {
                                try (InputStream stream = in) {
                                    return decoder.apply(stream);
                                } catch (java.io.IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            }),
                    i -> peer.get().uri(url + "snap-" + i).header("Accept", "application/json").retrieve()
                            .bodyToMono(replyType).map(m -> m.get("snapshot")),
                    i -> client.getSnapshot("snap-" + i));
            String[] names = {"floor: Reactor Netty + the client's streaming decoder", "peer: `WebClient` + Spring's Jackson codec",
                "`getSnapshot`"};
            double[][] rates = new double[contenders.size()][S4_ROUNDS];
            double[][] p99 = new double[contenders.size()][S4_ROUNDS];
            for (int round = -S4_WARM_UP; round < S4_ROUNDS; round++) {
                for (int c = 0; c < contenders.size(); c++) {
                    System.gc();
                    java.util.function.IntFunction<Mono<?>> call = contenders.get(c);
                    long[] latencies = new long[calls];
                    long start = System.nanoTime();
                    long ok = Flux.range(0, calls).flatMap(i -> {
                        long t0 = System.nanoTime();
                        return call.apply(i).doOnSuccess(v -> latencies[i] = System.nanoTime() - t0);
                    }, calls).count().block();
                    double seconds = (System.nanoTime() - start) / 1e9;
                    if (ok != calls) {
                        throw new IllegalStateException(names[c] + ": " + ok + " of " + calls);
                    }
                    if (round >= 0) {
                        Arrays.sort(latencies);
                        rates[c][round] = calls / seconds;
                        p99[c][round] = latencies[(int) (calls * 0.99)] / 1e6;
                    }
                }
            }
            for (int c = 0; c < contenders.size(); c++) {
                row(String.format(Locale.ROOT, "| %s | calls/s (median of " + S4_ROUNDS + ") / p99 | %s / %.0f ms |",
                        c == 0 ? "S4 side by side (2,000 simultaneous GETs, pools of 64): " + names[c] : names[c],
                        fmt(median(rates[c])), median(p99[c])));
            }
            row(String.format(Locale.ROOT, "| | **`getSnapshot` / peer** (issue 27: >= 1.1) / **`getSnapshot` / floor** (>= 0.75) | **%.2f** / **%.2f** |",
                    median(rates[2]) / median(rates[1]), median(rates[2]) / median(rates[0])));
        }
    }

    // ------------------------------------------------------------------ S5

    static void s5Overhead() {
        try (PageServer server = new PageServer(100);
             ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).build()) {
            WebClient raw = WebClient.builder()
                    .clientConnector(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.create("raw", 64))))
                    .build();
            String url = server.baseUrl() + "/v1/snapshots/8c6d2e0a";
            ParameterizedTypeReference<Map<String, Snapshot>> replyType = new ParameterizedTypeReference<>() { };
            Supplier<Object> viaClient = () -> client.getSnapshot("8c6d2e0a").block();
            Supplier<Object> viaRaw = () -> raw.get().uri(url).header("Accept", "application/json").retrieve()
                    .bodyToMono(replyType).map(m -> m.get("snapshot")).block();
            int block = 1000;
            int blocks = 8;
            long[] clientTimes = new long[block * blocks];
            long[] rawTimes = new long[block * blocks];
            for (int b = -3; b < blocks; b++) { // 3 warm-up blocks, then alternate blocks of each
                for (int i = 0; i < block; i++) {
                    long t0 = System.nanoTime();
                    viaRaw.get();
                    long t1 = System.nanoTime();
                    if (b >= 0) {
                        rawTimes[b * block + i] = t1 - t0;
                    }
                }
                for (int i = 0; i < block; i++) {
                    long t0 = System.nanoTime();
                    viaClient.get();
                    long t1 = System.nanoTime();
                    if (b >= 0) {
                        clientTimes[b * block + i] = t1 - t0;
                    }
                }
            }
            Arrays.sort(clientTimes);
            Arrays.sort(rawTimes);
            double clientP50 = clientTimes[clientTimes.length / 2] / 1e3;
            double rawP50 = rawTimes[rawTimes.length / 2] / 1e3;
            double clientMean = Arrays.stream(clientTimes).average().orElse(0) / 1e3;
            double rawMean = Arrays.stream(rawTimes).average().orElse(0) / 1e3;
            row(String.format(Locale.ROOT, "| S5 overhead per call (8,000 sequential GETs each) | raw `WebClient` p50 / mean | %.0f / %.0f µs |", rawP50, rawMean));
            row(String.format(Locale.ROOT, "| | `getSnapshot` p50 / mean | %.0f / %.0f µs |", clientP50, clientMean));
            row(String.format(Locale.ROOT, "| | **client / raw** p50 (target <= 1.10) | **%.2f** (mean %.2f) |", clientP50 / rawP50, clientMean / rawMean));
            double rawBytes = bytesPerCall(viaRaw, 4_000);
            double clientBytes = bytesPerCall(viaClient, 4_000);
            row(String.format(Locale.ROOT, "| | bytes allocated per call, every thread (the server's share included) raw / "
                    + "`getSnapshot` | %,.0f / %,.0f: **%.2f** |", rawBytes, clientBytes, clientBytes / rawBytes));
        }
    }

    /** The bytes every thread of the JVM allocates per call, over {@code calls} calls after as many to warm up. */
    private static double bytesPerCall(Supplier<Object> call, int calls) {
        for (int i = 0; i < calls; i++) {
            call.get();
        }
        long before = allocatedBytes();
        for (int i = 0; i < calls; i++) {
            call.get();
        }
        return (allocatedBytes() - before) / (double) calls;
    }

    private static long allocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, bytes);
        }
        return total;
    }

    // ------------------------------------------------------------------ helpers

    /** The logging configuration of this JVM, for a child JVM: the benchmarks' own, not the tests' TRACE. */
    static String logging() {
        return "-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile", "benchmarks/logback-bench.xml");
    }

    private static double seconds(Runnable run) {
        long start = System.nanoTime();
        run.run();
        return (System.nanoTime() - start) / 1e9;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static String fmt(double rate) {
        return String.format(Locale.ROOT, "%,.0f", rate);
    }

    static void row(String line) {
        System.out.println(line);
        REPORT.append(line).append('\n');
    }
}
