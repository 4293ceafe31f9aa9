package io.github.reactivekoyeb.snapshots.bench;

import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.retention.RetentionOptions;
import io.github.reactivekoyeb.snapshots.retention.RetentionOutcome;
import io.github.reactivekoyeb.snapshots.retention.RetentionPolicy;
import io.github.reactivekoyeb.snapshots.schedule.ScheduleRun;
import io.github.reactivekoyeb.snapshots.schedule.SnapshotSchedule;
import io.github.reactivekoyeb.snapshots.schedule.SnapshotSchedules;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.github.reactivekoyeb.snapshots.testing.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * S10, snapshot schedules (issue 36): one run of a schedule over 100 volumes, each with a year of
 * nightly snapshots (36,500 on the fake server, which keeps each new one {@code CREATING} for 2 s),
 * at a limit of 100 requests per second (429 and {@code Retry-After: 1} beyond), keeping 7 dailies,
 * 4 weeklies and 12 monthlies, deleting at most 500 a run (the rest deferred). Printed: the run's
 * requests against the floor (one create and the polls to {@code AVAILABLE} per volume, one
 * listing, a read and a delete per deletion), its time against the floor's at the limit, and what
 * it took, kept, deleted and deferred. Set {@code BENCH_S10_RUNS} for more runs (each after the last).
 */
final class ScheduleScenario {

    private static final int VOLUMES = 100;
    private static final int NIGHTS = 365;
    private static final double LIMIT = 100;

    private ScheduleScenario() {
    }

    static void run() {
        int runs = Integer.parseInt(System.getenv().getOrDefault("BENCH_S10_RUNS", "1"));
        try (FakeKoyebServer server = FakeKoyebServer.builder().creationDelay(Duration.ofSeconds(2)).build();
             ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).build()) {
            Instant first = Instant.now().minus(Duration.ofDays(NIGHTS));
            List<String> volumes = new ArrayList<>();
            for (int volume = 0; volume < VOLUMES; volume++) {
                volumes.add("vol-" + volume);
                server.seedHistory("vol-" + volume, "nightly-", first, Duration.ofDays(1), NIGHTS);
            }
            SnapshotSchedule schedule = SnapshotSchedule.builder().name("fleet").volumes(volumes).namePrefix("nightly-")
                    .retention(RetentionPolicy.builder().keepDaily(7).keepWeekly(4).keepMonthly(12).build())
                    .retentionOptions(RetentionOptions.builder().deleteAtMost(500).build())
                    .build();
            SnapshotSchedules schedules = SnapshotSchedules.of(client);
            server.rateLimit(LIMIT);
            for (int i = 1; i <= runs; i++) {
                int listed = server.snapshots().size();
                server.clearRequests();
                long refusedBefore = server.throttledCount();
                ScheduleRun run = schedules.run(schedule).block(Duration.ofMinutes(10));
                report(i, run, listed, server.requests(), server.throttledCount() - refusedBefore);
            }
        }
    }

    private static void report(int index, ScheduleRun run, int listed, List<RecordedRequest> requests, long refused) {
        Set<String> taken = run.taken().values().stream().map(s -> s.id()).collect(Collectors.toSet());
        long creates = requests.stream().filter(r -> r.method().equals("POST")).count();
        long polls = requests.stream().filter(r -> r.method().equals("GET") && taken.contains(lastSegment(r.path())))
                .count();
        long pages = requests.stream().filter(r -> r.method().equals("GET") && r.path().equals("/v1/snapshots")).count();
        long deleted = run.outcomes().stream().filter(o -> o.result() == RetentionOutcome.Result.DELETED).count();
        long deferred = run.deferred().size();
        long floorPages = (listed + VOLUMES + 99) / 100;
        // the floor: a create per volume, the polls it took to see AVAILABLE, one listing, a read and a delete per deletion
        long floor = VOLUMES + polls + floorPages + 2 * deleted;
        long sent = requests.size() - refused;
        double floorSeconds = floor / LIMIT;
        BenchMain.row(String.format(Locale.ROOT, "| S10 schedule run %d: 100 volumes, a year of nightly snapshots each (%,d),"
                        + " limit 100/s | requests answered, against the floor (creates %d, polls %d, listing %d pages,"
                        + " read + delete %d); refused with 429 | %d against %d: **%.3fx**; %d |", index, listed, creates,
                polls, floorPages, deleted, sent, floor, sent / (double) floor, refused));
        BenchMain.row(String.format(Locale.ROOT, "| | time, against the floor's at the limit; taken, failed, kept,"
                        + " deleted, deferred | %.1f s against %.1f s: **%.2fx**; %d, %d, %d, %d, %d |",
                run.took().toMillis() / 1000.0, floorSeconds, run.took().toMillis() / 1000.0 / floorSeconds,
                run.taken().size(), run.failures().size(),
                run.plan().map(p -> p.toKeep().size()).orElse(0), deleted, deferred));
    }

    private static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
