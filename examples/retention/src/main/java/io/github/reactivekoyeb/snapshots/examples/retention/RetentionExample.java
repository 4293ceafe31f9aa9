package io.github.reactivekoyeb.snapshots.examples.retention;

import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.SnapshotType;
import io.github.reactivekoyeb.snapshots.retention.RetentionOptions;
import io.github.reactivekoyeb.snapshots.retention.RetentionOutcome;
import io.github.reactivekoyeb.snapshots.retention.RetentionPlan;
import io.github.reactivekoyeb.snapshots.retention.RetentionPolicy;
import io.github.reactivekoyeb.snapshots.retention.SnapshotRetention;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Snapshot retention with koyeb-snapshots-reactive, on the fake Koyeb server: 400 days of nightly
 * snapshots of three volumes (and a manual snapshot and one still being created, which the policy
 * leaves alone), a policy that keeps the last 3, 7 dailies, 5 weeklies, 12 monthlies and 2 yearlies
 * in Paris time, its plan printed as a table, then applied, with what became of each deletion.
 *
 * <p>Run it with {@code mvn -q -Pretention test-compile exec:java} (see the README).
 */
public final class RetentionExample {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private RetentionExample() {
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
        try (FakeKoyebServer koyeb = FakeKoyebServer.builder().build();
             ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(koyeb.baseUrl()).build()) {
            Instant first = Instant.parse("2025-11-02T02:00:00Z"); // 3 a.m. in Paris, 400 nights to 2026-12-06
            for (String volume : List.of("vol-data", "vol-logs", "vol-media")) {
                koyeb.seedHistory(volume, "nightly-", first, Duration.ofDays(1), 400);
            }
            koyeb.put(new Snapshot("manual-1", "before-upgrade", 1L << 30, Instant.parse("2026-06-01T10:00:00Z"),
                    Instant.parse("2026-06-01T10:00:00Z"), null, "org-fake", "vol-data", "fra", SnapshotStatus.AVAILABLE,
                    SnapshotType.REMOTE));
            koyeb.put(new Snapshot("creating-1", "nightly-tonight", null, Instant.parse("2026-12-06T02:30:00Z"),
                    Instant.parse("2026-12-06T02:30:00Z"), null, "org-fake", "vol-logs", "fra", SnapshotStatus.CREATING,
                    SnapshotType.REMOTE));
            out.printf("The fake Koyeb server holds %d snapshots of 3 volumes.%n%n", koyeb.snapshots().size());

            RetentionPolicy policy = RetentionPolicy.builder().keepLast(3).keepDaily(7).keepWeekly(5).keepMonthly(12)
                    .keepYearly(2).zone(ZoneId.of("Europe/Paris")).namePrefix("nightly-").build();
            SnapshotRetention retention = SnapshotRetention.of(client);
            RetentionPlan plan = retention.plan(policy).block(TIMEOUT);
            out.println(plan);

            List<RetentionOutcome> outcomes = retention.apply(plan, RetentionOptions.builder().concurrency(8).build())
                    .collectList().block(TIMEOUT);
            Map<RetentionOutcome.Result, Integer> counts = new EnumMap<>(RetentionOutcome.Result.class);
            outcomes.forEach(o -> counts.merge(o.result(), 1, Integer::sum));
            out.printf("Applied: %d planned deletions: %s.%n", outcomes.size(), counts);
            RetentionPlan after = retention.plan(policy).block(TIMEOUT);
            out.printf("Planned again: %d to delete, %d kept (plan %s).%n", after.toDelete().size(),
                    after.toKeep().size(), after.fingerprint().substring(0, 12));
            return outcomes.size() == plan.toDelete().size() && after.toDelete().isEmpty() ? 0 : 1;
        }
    }
}
