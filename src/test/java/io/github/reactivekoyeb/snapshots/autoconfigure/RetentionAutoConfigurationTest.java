package io.github.reactivekoyeb.snapshots.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.retention.RetentionLimitExceededException;
import io.github.reactivekoyeb.snapshots.retention.RetentionOutcome;
import io.github.reactivekoyeb.snapshots.retention.SnapshotRetention;
import io.github.reactivekoyeb.snapshots.support.TestSecrets;
import io.github.reactivekoyeb.snapshots.support.TokenLeakAppender;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.test.StepVerifier;

/**
 * {@code koyeb.snapshots.retention.*}: the {@link SnapshotRetention} bean, the scheduled runs (dry by
 * default), their log lines and meters, and the properties checked at start-up; against a fake
 * server holding 40 days of nightly snapshots of two volumes.
 */
class RetentionAutoConfigurationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private FakeKoyebServer server;
    private ApplicationContextRunner runner;

    @BeforeEach
    void start() {
        server = FakeKoyebServer.builder().token(TestSecrets.TOKEN).build();
        for (String volume : List.of("vol-1", "vol-2")) {
            server.seedHistory(volume, "nightly-", Instant.parse("2026-03-01T02:00:00Z"), Duration.ofDays(1), 40);
        }
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KoyebSnapshotsAutoConfiguration.class,
                        KoyebRetentionAutoConfiguration.class))
                .withPropertyValues("koyeb.snapshots.base-url=" + server.baseUrl(),
                        "koyeb.snapshots.token=" + TestSecrets.TOKEN);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private long available() {
        return server.snapshots().stream().filter(s -> s.status() == SnapshotStatus.AVAILABLE).count();
    }

    @Test
    void theRetentionBeanIsThereWithTheClientAndTheScheduleOnlyWhenEnabled() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(SnapshotRetention.class).doesNotHaveBean(ScheduledRetention.class);
            assertThat(server.requestCount()).isZero();
        });
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(KoyebSnapshotsAutoConfiguration.class,
                KoyebRetentionAutoConfiguration.class)).run(context -> assertThat(context)
                .as("no token, no client").doesNotHaveBean(SnapshotRetention.class));
    }

    @Test
    void aDryRunPlansLogsAndDeletesNothing() {
        runner.withPropertyValues("koyeb.snapshots.retention.enabled=true", "koyeb.snapshots.retention.keep-daily=7",
                "koyeb.snapshots.retention.keep-weekly=2", "koyeb.snapshots.retention.name-prefix=nightly-",
                "koyeb.snapshots.retention.zone=Europe/Paris").run(context -> {
                    ScheduledRetention scheduled = context.getBean(ScheduledRetention.class);
                    assertThat(scheduled.isRunning()).isTrue();
                    ScheduledRetention.Run run = scheduled.runOnce().block(TIMEOUT);
                    assertThat(run.dryRun()).isTrue();
                    assertThat(run.outcomes()).isEmpty();
                    // 03-01..04-09: the dailies 04-03..04-09 hold both weeklies (04-09, 04-05): 7 kept a volume
                    assertThat(run.plan().toDelete()).hasSize(2 * 33);
                    assertThat(available()).isEqualTo(80);
                    assertThat(server.requests()).allSatisfy(r -> assertThat(r.method()).isEqualTo("GET"));
                    assertThat(TokenLeakAppender.recentLines()).anySatisfy(line -> assertThat(line)
                            .contains("Koyeb snapshot retention (keep daily 7, weekly 2 (Europe/Paris, names \"nightly-...\"))")
                            .contains("2 group(s), 80 snapshot(s): keep 14, to delete 66, ignore 0; dry run: deleted nothing")
                            .contains("fingerprint " + run.plan().fingerprint()));
                    assertThat(TokenLeakAppender.recentLines()).as("the plan at DEBUG").anySatisfy(line -> assertThat(line)
                            .startsWith("DEBUG").contains("Koyeb snapshot retention plan:").contains("group vol-2"));
                });
    }

    @Test
    void aRunDeletesWhenNotDryAndItsMetersCountIt() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("koyeb.snapshots.retention.enabled=true", "koyeb.snapshots.retention.keep-last=5",
                        "koyeb.snapshots.retention.dry-run=false", "koyeb.snapshots.retention.concurrency=8")
                .run(context -> {
                    ScheduledRetention.Run run = context.getBean(ScheduledRetention.class).runOnce().block(TIMEOUT);
                    assertThat(run.count(RetentionOutcome.Result.DELETED)).isEqualTo(70);
                    assertThat(available()).isEqualTo(10);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get("koyeb.snapshots.retention.runs").tag("outcome", "success")
                            .tag("dry.run", "false").counter().count()).isEqualTo(1);
                    assertThat(meters.get("koyeb.snapshots.retention.deleted").counter().count()).isEqualTo(70);
                    assertThat(meters.get("koyeb.snapshots.retention.failed").counter().count()).isZero();
                    assertThat(meters.get("koyeb.snapshots.retention.duration").timer().count()).isEqualTo(1);
                    assertThat(TokenLeakAppender.recentLines()).anySatisfy(line -> assertThat(line)
                            .contains("deleted 70, already gone 0, changed 0, failed 0"));
                });
    }

    @Test
    void aRunOverTheMaximumDeletesNothingAndCountsAFailedRun() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("koyeb.snapshots.retention.enabled=true", "koyeb.snapshots.retention.keep-last=5",
                        "koyeb.snapshots.retention.dry-run=false", "koyeb.snapshots.retention.max-deletions=69")
                .run(context -> {
                    StepVerifier.create(context.getBean(ScheduledRetention.class).runOnce())
                            .expectError(RetentionLimitExceededException.class).verify(TIMEOUT);
                    assertThat(available()).isEqualTo(80);
                    assertThat(context.getBean(MeterRegistry.class).get("koyeb.snapshots.retention.runs")
                            .tag("outcome", "error").counter().count()).isEqualTo(1);
                    assertThat(TokenLeakAppender.recentLines()).anySatisfy(line -> assertThat(line).startsWith("WARN")
                            .contains("Koyeb snapshot retention run failed").contains("more than maxDeletions 69"));
                });
    }

    @Test
    void runsComeOnTheirScheduleWithoutEnableScheduling() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("koyeb.snapshots.retention.enabled=true", "koyeb.snapshots.retention.keep-daily=3",
                        "koyeb.snapshots.retention.cron=* * * * * *")
                .run(context -> {
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    long deadline = System.nanoTime() + TIMEOUT.toNanos();
                    while (meters.find("koyeb.snapshots.retention.runs").counter() == null
                            || meters.get("koyeb.snapshots.retention.runs").counter().count() < 2) {
                        assertThat(System.nanoTime()).as("two runs, a second apart").isLessThan(deadline);
                        Thread.sleep(50);
                    }
                    assertThat(available()).as("dry runs").isEqualTo(80);
                    context.getBean(ScheduledRetention.class).stop();
                    assertThat(context.getBean(ScheduledRetention.class).isRunning()).isFalse();
                });
    }

    @Test
    void aDryRunSaysWhatTheCapWouldDoAndARealRunDefersTheRest() {
        runner.withPropertyValues("koyeb.snapshots.retention.enabled=true", "koyeb.snapshots.retention.keep-last=5",
                "koyeb.snapshots.retention.delete-at-most=30").run(context -> {
                    ScheduledRetention scheduled = context.getBean(ScheduledRetention.class);
                    ScheduledRetention.Run dry = scheduled.runOnce().block(TIMEOUT);
                    assertThat(scheduled.summary(dry))
                            .contains("a run would delete the 30 oldest and leave 40 for later runs (delete-at-most)");
                    assertThat(available()).isEqualTo(80);
                });
        runner.withPropertyValues("koyeb.snapshots.retention.enabled=true", "koyeb.snapshots.retention.keep-last=5",
                "koyeb.snapshots.retention.delete-at-most=30", "koyeb.snapshots.retention.dry-run=false").run(context -> {
                    ScheduledRetention scheduled = context.getBean(ScheduledRetention.class);
                    ScheduledRetention.Run run = scheduled.runOnce().block(TIMEOUT);
                    assertThat(run.count(RetentionOutcome.Result.DELETED)).isEqualTo(30);
                    assertThat(run.count(RetentionOutcome.Result.DEFERRED)).isEqualTo(40);
                    assertThat(scheduled.summary(run)).contains("deleted 30", "deferred 40");
                    assertThat(available()).isEqualTo(50);
                });
    }

    @Test
    void invalidPropertiesFailStartUpNamingTheProperty() {
        String[][] cases = {
            {"koyeb.snapshots.retention.keep-daily=-1", "koyeb.snapshots.retention.keep-daily: keepDaily must be 0 or more"},
            {"koyeb.snapshots.retention.keep-last=0", "koyeb.snapshots.retention.keep-*: a retention policy must keep something"},
            {"koyeb.snapshots.retention.keep-within=0s", "koyeb.snapshots.retention.keep-within: keepWithin must be positive"},
            {"koyeb.snapshots.retention.zone=Mars/Olympus", "koyeb.snapshots.retention.zone"},
            {"koyeb.snapshots.retention.cron=every night", "koyeb.snapshots.retention.cron"},
            {"koyeb.snapshots.retention.max-deletions=-1", "koyeb.snapshots.retention.max-deletions: maxDeletions must be 0 or more"},
            {"koyeb.snapshots.retention.concurrency=0", "koyeb.snapshots.retention.concurrency: concurrency must be between 1 and 256"},
            {"koyeb.snapshots.retention.keep-within=999999999999d", "koyeb.snapshots.retention.keep-within: keepWithin must be at most"},
            {"koyeb.snapshots.retention.cron=0 0 0 30 2 *", "koyeb.snapshots.retention.cron: '0 0 0 30 2 *' never fires"},
            {"koyeb.snapshots.retention.delete-at-most=0", "koyeb.snapshots.retention.delete-at-most: deleteAtMost must be 1 or more"},
        };
        for (String[] c : cases) {
            String keep = c[0].contains("keep-") ? "koyeb.snapshots.retention.enabled=true" : "koyeb.snapshots.retention.keep-daily=3";
            runner.withPropertyValues("koyeb.snapshots.retention.enabled=true", keep, c[0]).run(context -> {
                assertThat(context).as(c[0]).hasFailed();
                StringBuilder all = new StringBuilder();
                for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                    all.append(t.getMessage()).append('\n');
                }
                assertThat(all.toString()).as(c[0]).contains(c[1]);
            });
        }
        runner.withPropertyValues("koyeb.snapshots.retention.keep-daily=-1").run(context -> assertThat(context)
                .as("not enabled: not checked").hasNotFailed());
    }
}
