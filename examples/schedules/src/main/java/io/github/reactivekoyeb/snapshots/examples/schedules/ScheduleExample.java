package io.github.reactivekoyeb.snapshots.examples.schedules;

import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.WaitOptions;
import io.github.reactivekoyeb.snapshots.retention.RetentionOptions;
import io.github.reactivekoyeb.snapshots.retention.RetentionPolicy;
import io.github.reactivekoyeb.snapshots.schedule.ScheduleRun;
import io.github.reactivekoyeb.snapshots.schedule.ScheduleStatus;
import io.github.reactivekoyeb.snapshots.schedule.SnapshotSchedule;
import io.github.reactivekoyeb.snapshots.schedule.SnapshotSchedules;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Snapshot schedules with koyeb-snapshots-reactive, on the fake Koyeb server, in seconds: two
 * volumes with 60 nights of snapshots, a schedule whose cron fires every 2 seconds (a night, in
 * this example's time) that takes a snapshot of each, waits until it is available, and prunes with
 * keep-last 5, keep-daily 7 and at most 20 deletions a run (the backlog goes over several runs);
 * then how current the backups are, with a second schedule whose volume stopped being snapshotted
 * nine days ago: the health report names it.
 *
 * <p>Run it with {@code mvn -q -Pschedules test-compile exec:java} (see the README).
 */
public final class ScheduleExample {

    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private ScheduleExample() {
    }

    public static void main(String[] args) {
        System.exit(run(System.out));
    }

    /**
     * Runs the example; {@code main} without the exit, for tests.
     *
     * @return the exit status
     */
    public static int run(PrintStream out) {
        try (FakeKoyebServer koyeb = FakeKoyebServer.builder().creationDelay(Duration.ofMillis(300)).build();
             ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(koyeb.baseUrl()).build()) {
            Instant now = Instant.now();
            for (String volume : List.of("vol-pg-1", "vol-pg-2")) {
                koyeb.seedHistory(volume, "nightly-", now.minus(Duration.ofDays(60)), Duration.ofDays(1), 60);
            }
            koyeb.seedHistory("vol-archive", "weekly-", now.minus(Duration.ofDays(30)), Duration.ofDays(7), 4);
            out.printf("The fake Koyeb server holds %d snapshots of 3 volumes.%n%n", koyeb.snapshots().size());

            WaitOptions quick = WaitOptions.builder().initialInterval(Duration.ofMillis(100))
                    .maxInterval(Duration.ofMillis(200)).timeout(Duration.ofSeconds(10)).build();
            SnapshotSchedule databases = SnapshotSchedule.builder()
                    .name("databases")
                    .volumes("vol-pg-1", "vol-pg-2")
                    .cron("*/2 * * * * *")                 // every 2 seconds: a night, here
                    .zone(ZoneId.of("Europe/Paris"))
                    .namePrefix("nightly-")
                    .retention(RetentionPolicy.builder().keepLast(5).keepDaily(7).build())
                    .retentionOptions(RetentionOptions.builder().deleteAtMost(20).build())
                    .waitOptions(quick)
                    .staleAfter(Duration.ofDays(2))
                    .build();
            SnapshotSchedule archive = SnapshotSchedule.builder()
                    .name("archive").volumes("vol-archive").namePrefix("weekly-").take(false)
                    .retention(RetentionPolicy.builder().keepLast(8).build()).staleAfter(Duration.ofDays(8)).build();

            SnapshotSchedules schedules = SnapshotSchedules.of(client);
            out.printf("Schedule: %s%nFirst run in %d ms.%n%n", databases, schedules.untilNext(databases).toMillis());
            List<ScheduleRun> runs = schedules.runs(databases)
                    .doOnNext(run -> out.println(run + "\n"))
                    .take(3).collectList().block(TIMEOUT);

            out.println("How current the backups are (what the health report and the gauges say):");
            int stale = 0;
            for (SnapshotSchedule schedule : List.of(databases, archive)) {
                ScheduleStatus status = schedules.status(schedule).block(TIMEOUT);
                for (String volume : schedule.volumes()) {
                    String age = status.age(volume).map(a -> a.toHours() + " h").orElse("no snapshot");
                    boolean isStale = status.stale().contains(volume);
                    stale += isStale ? 1 : 0;
                    out.printf("  %-9s %-11s newest %-8s %s%n", schedule.name(), volume, age,
                            isStale ? "STALE (older than " + schedule.staleAfter().toDays() + " days)" : "ok");
                }
            }
            boolean taken = runs.stream().allMatch(r -> r.taken().size() == 2 && r.failures().isEmpty());
            return taken && runs.size() == 3 && stale == 1 ? 0 : 1;
        }
    }
}
