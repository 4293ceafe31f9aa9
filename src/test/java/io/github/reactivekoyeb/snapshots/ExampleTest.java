package io.github.reactivekoyeb.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.examples.SnapshotLifecycleExample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples in examples/ compile with the suite and run their whole story against the fake server. */
class ExampleTest {

    @Test
    void lifecycleExampleRunsAgainstTheFakeServerWithoutAToken() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = SnapshotLifecycleExample.run(new String[0], Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(out).isZero();
        assertThat(out)
                .contains("running against the fake Koyeb server")
                .contains("status=CREATING")
                .contains("watched: CREATING").contains("watched: AVAILABLE")
                .contains("page offset=0 limit=20 items=20 hasNext=true")
                .contains("page offset=40 limit=20")
                .contains("renamed ").contains("name=example-snapshot-renamed")
                .contains("deleted ").contains("(now DELETED)")
                .contains("after 2 requests");
    }

    /** 1,202 snapshots listed twice and 2,268 requests: seconds; SnapshotRetentionTest covers the same at a smaller scale. */
    @io.github.reactivekoyeb.snapshots.support.Slow
    @Test
    void retentionExamplePlansPrintsAndAppliesItsPolicy() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = io.github.reactivekoyeb.snapshots.examples.retention.RetentionExample.run(
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(out).isZero();
        assertThat(out)
                .contains("The fake Koyeb server holds 1202 snapshots of 3 volumes.")
                .contains("1202 snapshot(s) in 3 group(s): keep 66, delete 1134, ignore 2")
                .contains("group vol-data: 401 snapshot(s)")
                .containsPattern("hist-000400 +nightly-2026-12-06T02:00:00Z +2026-12-06 03:00:00 +keep +last #1, daily #1,"
                        + " weekly #1, monthly #1, yearly #1")
                .containsPattern("manual-1 +before-upgrade .* ignore +name not managed")
                .containsPattern("creating-1 +nightly-tonight .* ignore +status CREATING")
                .contains("Applied: 1134 planned deletions: {DELETED=1134}.")
                .contains("Planned again: 0 to delete, 66 kept");
    }

    /** Two runs of 4 s each against a real Redis: the slow group; RedisRateLimiterTest covers the sharing. */
    @io.github.reactivekoyeb.snapshots.support.Slow
    @Test
    void fleetExamplePrintsEachReplicasShareWithAndWithoutTheSharedLimiter() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = io.github.reactivekoyeb.snapshots.examples.fleet.FleetExample.run(
                new PrintStream(bytes, true, StandardCharsets.UTF_8), java.time.Duration.ofSeconds(4));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(out).isZero();
        assertThat(out).contains("4 replicas x 50 callers").contains("each client's own limiter")
                .contains("a RedisRateLimiter each, one Redis").contains("The smallest share:");
    }

    /** Three runs 2 s apart: the slow group; SnapshotSchedulesTest covers the runs. */
    @io.github.reactivekoyeb.snapshots.support.Slow
    @Test
    void scheduleExampleTakesPrunesAndNamesTheStaleVolume() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = io.github.reactivekoyeb.snapshots.examples.schedules.ScheduleExample.run(
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("Koyeb snapshot schedule databases: 2 volume(s), took 2, failed 0")
                .contains("deferred").contains("vol-archive newest").contains("STALE");
        assertThat(status).as(out).isZero();
    }
}
