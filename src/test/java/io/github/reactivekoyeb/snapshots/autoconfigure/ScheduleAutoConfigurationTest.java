package io.github.reactivekoyeb.snapshots.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.retention.RetentionOutcome.Result;
import io.github.reactivekoyeb.snapshots.schedule.ScheduleRun;
import io.github.reactivekoyeb.snapshots.schedule.SnapshotSchedules;
import io.github.reactivekoyeb.snapshots.support.BootLine;
import io.github.reactivekoyeb.snapshots.support.HealthView;
import io.github.reactivekoyeb.snapshots.support.Settled;
import io.github.reactivekoyeb.snapshots.support.TestSecrets;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import reactor.core.publisher.Flux;

/**
 * {@code koyeb.snapshots.schedules.<name>.*}: many schedules, each taking, waiting and pruning on
 * its cron without {@code @EnableScheduling} (deletions dry until {@code dry-run=false}), once per
 * fleet under ShedLock, their time gauges, the health report in a group of its own (never liveness
 * or readiness), and invalid values refused at start-up by their full property name.
 */
class ScheduleAutoConfigurationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String DB = "koyeb.snapshots.schedules.databases.";
    private static final String FILES = "koyeb.snapshots.schedules.files.";

    private FakeKoyebServer server;
    private ApplicationContextRunner runner;

    @BeforeEach
    void start() {
        // created AVAILABLE at once: the takes need no poll (SnapshotSchedulesTest covers the waits)
        server = FakeKoyebServer.builder().token(TestSecrets.TOKEN).creationDelay(Duration.ZERO).build();
        Instant first = Instant.now().minus(Duration.ofDays(20));
        for (String volume : List.of("vol-pg-1", "vol-pg-2", "vol-files")) {
            server.seedHistory(volume, "nightly-", first, Duration.ofDays(1), 20);
        }
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KoyebSnapshotsAutoConfiguration.class,
                        KoyebRetentionAutoConfiguration.class, KoyebSchedulesAutoConfiguration.class))
                .withPropertyValues("koyeb.snapshots.base-url=" + server.baseUrl(),
                        "koyeb.snapshots.token=" + TestSecrets.TOKEN,
                        DB + "volumes=vol-pg-1,vol-pg-2", DB + "name-prefix=nightly-", DB + "keep-daily=7",
                        DB + "cron=0 0 2 1 1 *", DB + "wait-timeout=5s",
                        FILES + "volumes=vol-files", FILES + "name-prefix=nightly-", FILES + "keep-last=3",
                        FILES + "cron=0 0 4 1 1 *", FILES + "wait-timeout=5s");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private long available(String volume) {
        return server.snapshots().stream().filter(s -> volume.equals(s.parentVolumeId())
                && s.status() == SnapshotStatus.AVAILABLE).count();
    }

    @Test
    void withoutSchedulesNothingIsThere() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KoyebSnapshotsAutoConfiguration.class,
                        KoyebSchedulesAutoConfiguration.class))
                .withPropertyValues("koyeb.snapshots.base-url=" + server.baseUrl(), "koyeb.snapshots.token=" + TestSecrets.TOKEN)
                .run(context -> assertThat(context).doesNotHaveBean(ScheduledSnapshots.class)
                        .doesNotHaveBean(SnapshotSchedules.class));
    }

    @Test
    void eachScheduleTakesAndDryRunsItsPruneUntilDryRunIsOff() {
        runner.run(context -> {
            ScheduledSnapshots scheduled = context.getBean(ScheduledSnapshots.class);
            assertThat(scheduled.isRunning()).isTrue();
            assertThat(scheduled.schedules()).extracting(s -> s.name()).containsExactly("databases", "files");
            ScheduleRun run = scheduled.runOnce("databases").block(TIMEOUT);
            assertThat(run.taken()).containsOnlyKeys("vol-pg-1", "vol-pg-2");
            assertThat(run.dryRun()).isTrue();
            assertThat(run.outcomes()).isEmpty();
            assertThat(available("vol-pg-1")).isEqualTo(21);
            assertThat(available("vol-files")).isEqualTo(20);
        });
        runner.withPropertyValues(FILES + "dry-run=false", FILES + "take=false").run(context -> {
            ScheduleRun run = context.getBean(ScheduledSnapshots.class).runOnce("files").block(TIMEOUT);
            assertThat(run.taken()).isEmpty();
            assertThat(run.outcomes()).hasSize(17).allMatch(o -> o.result() == Result.DELETED);
            assertThat(available("vol-files")).isEqualTo(3);
            assertThat(available("vol-pg-1")).as("the other schedule's volume: taken once, never pruned").isEqualTo(21);
        });
    }

    @Test
    void runsComeOnTheirCronWithoutEnableScheduling() {
        // the takes' polls wait a second: a prune-only schedule shows the cron's turn at once
        runner.withPropertyValues(DB + "cron=* * * * * *", DB + "dry-run=false", DB + "take=false").run(context -> {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (server.requests().stream().noneMatch(r -> r.method().equals("DELETE"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server.requests()).anyMatch(r -> r.method().equals("DELETE"));
        });
    }

    @Test
    void theGaugesSayWhenEachVolumesNewestSnapshotWasTakenAndWhenTheLastRunSucceeded() {
        MeterRegistry registry = new SimpleMeterRegistry();
        Instant newestSeeded = server.snapshots().stream().filter(s -> "vol-pg-1".equals(s.parentVolumeId()))
                .map(s -> s.createdAt()).max(Instant::compareTo).orElseThrow();
        runner.withBean(MeterRegistry.class, () -> registry).withPropertyValues(DB + "take=false").run(context -> {
            ScheduledSnapshots scheduled = context.getBean(ScheduledSnapshots.class);
            scheduled.check("files").block(TIMEOUT);
            ScheduleRun run = scheduled.runOnce("databases").block(TIMEOUT);
            assertThat(run.succeeded()).isTrue();
            TimeGauge newest = registry.get("koyeb.snapshots.schedule.newest.snapshot").tag("schedule", "databases")
                    .tag("volume", "vol-pg-1").timeGauge();
            assertThat((long) newest.value(TimeUnit.MILLISECONDS)).isEqualTo(newestSeeded.toEpochMilli());
            TimeGauge success = registry.get("koyeb.snapshots.schedule.last.success").tag("schedule", "databases")
                    .timeGauge();
            assertThat(success.value(TimeUnit.SECONDS)).isCloseTo(Instant.now().getEpochSecond(),
                    org.assertj.core.data.Offset.offset(30.0));
            assertThat(registry.get("koyeb.snapshots.schedule.last.success").tag("schedule", "files").timeGauge()
                    .value()).isNaN();
            assertThat(registry.get("koyeb.snapshots.schedule.newest.snapshot").tag("volume", "vol-files")
                    .timeGauge().value(TimeUnit.SECONDS)).isGreaterThan(0);
            assertThat(registry.get("koyeb.snapshots.schedule.runs").tag("schedule", "databases")
                    .tag("outcome", "success").counter().count()).isEqualTo(1.0);
        });
    }

    @Test
    void aReplicaThatSkipsItsTurnUnderTheFleetLockReadsTheSnapshotsInstead() {
        DataSource database = new DriverManagerDataSource("jdbc:h2:mem:schedules-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1");
        new JdbcTemplate(database).execute("CREATE TABLE shedlock(name VARCHAR(64) NOT NULL PRIMARY KEY,"
                + " lock_until TIMESTAMP NOT NULL, locked_at TIMESTAMP NOT NULL, locked_by VARCHAR(255) NOT NULL)");
        ApplicationContextRunner replica = runner.withBean(LockProvider.class,
                () -> new JdbcTemplateLockProvider(database)).withBean(MeterRegistry.class, SimpleMeterRegistry::new);
        replica.run(one -> replica.run(two -> {
            // the start-up reads of both replicas first, then what one read of the schedule costs
            Settled.count(server::requestCount, Duration.ofMillis(200), TIMEOUT);
            server.clearRequests();
            one.getBean(ScheduledSnapshots.class).check("databases").block(TIMEOUT);
            long oneRead = listings();
            server.clearRequests();

            List<ScheduledSnapshots> fleet = List.of(one.getBean(ScheduledSnapshots.class),
                    two.getBean(ScheduledSnapshots.class));
            Flux.fromIterable(fleet).flatMap(s -> s.lockedRun("databases")).then().block(TIMEOUT);
            Settled.count(server::requestCount, Duration.ofMillis(200), TIMEOUT);
            assertThat(server.requests()).filteredOn(r -> r.method().equals("POST")).as("one take per volume")
                    .hasSize(2);
            assertThat(listings()).as("the run's listing and the other replica's read").isEqualTo(2 * oneRead);
            List<String> outcomes = Flux.just(one, two).map(c -> c.getBean(MeterRegistry.class))
                    .flatMapIterable(r -> r.find("koyeb.snapshots.schedule.runs").counters())
                    .map(c -> c.getId().getTag("outcome")).collectList().block(TIMEOUT);
            assertThat(outcomes).containsExactlyInAnyOrder("success", "skipped");
        }));
    }

    private long listings() {
        return server.requests().stream().filter(r -> r.method().equals("GET") && r.path().equals("/v1/snapshots"))
                .count();
    }

    @Test
    void invalidPropertiesFailStartUpNamingTheProperty() {
        String[][] cases = {
            {DB + "volumes=", "koyeb.snapshots.schedules.databases.volumes: schedule databases needs at least one volume"},
            {DB + "cron=0 0 0 30 2 *", "koyeb.snapshots.schedules.databases.cron: '0 0 0 30 2 *' never fires"},
            {DB + "keep-within=999999999999d", "koyeb.snapshots.schedules.databases.keep-within: keepWithin must be at most"},
            {DB + "delete-at-most=0", "koyeb.snapshots.schedules.databases.delete-at-most: deleteAtMost must be 1 or more"},
            {DB + "stale-after=0s", "koyeb.snapshots.schedules.databases.stale-after: staleAfter must be positive"},
            {DB + "take-concurrency=0", "koyeb.snapshots.schedules.databases.take-concurrency"},
            {DB + "volumes=vol-1,vol-1", "koyeb.snapshots.schedules.databases.volumes: volume vol-1 is given twice"},
        };
        for (String[] c : cases) {
            runner.withPropertyValues(c[0]).run(context -> {
                assertThat(context).as(c[0]).hasFailed();
                StringBuilder all = new StringBuilder();
                for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                    all.append(t.getMessage()).append('\n');
                }
                assertThat(all.toString()).as(c[0]).contains(c[1]);
            });
        }
        runner.withPropertyValues(DB + "enabled=false", DB + "keep-daily=-1").run(context -> {
            assertThat(context).as("disabled: not checked").hasNotFailed();
            assertThat(context.getBean(ScheduledSnapshots.class).schedules()).extracting(s -> s.name())
                    .containsExactly("files");
        });
    }

    /** A whole application: Actuator's health endpoint, its probes, and the schedules' health group. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    @Test
    void theHealthReportNamesStaleVolumesInAGroupOfItsOwnNeverInLivenessOrReadiness() {
        server.seedHistory("vol-old", "nightly-", Instant.now().minus(Duration.ofDays(10)), Duration.ofDays(1), 2);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties("koyeb.snapshots.base-url=" + server.baseUrl(), "koyeb.snapshots.token=" + TestSecrets.TOKEN,
                        "management.endpoint.health.probes.enabled=true", "spring.main.banner-mode=off",
                        DB + "volumes=vol-pg-1,vol-old,vol-none", DB + "name-prefix=nightly-", DB + "keep-daily=7",
                        DB + "cron=0 0 2 1 1 *", DB + "stale-after=2d")
                .run()) {
            HealthView before = BootLine.health(context, "koyebSnapshotSchedulesHealthIndicator");
            context.getBean(ScheduledSnapshots.class).check("databases").block(TIMEOUT);
            HealthView health = BootLine.health(context, "koyebSnapshotSchedulesHealthIndicator");
            assertThat(health.status()).isEqualTo("DOWN");
            @SuppressWarnings("unchecked")
            Map<String, Object> databases = (Map<String, Object>) health.details().get("databases");
            @SuppressWarnings("unchecked")
            Map<String, Object> stale = (Map<String, Object>) databases.get("stale");
            assertThat(stale).containsOnlyKeys("vol-old", "vol-none");
            assertThat(stale.get("vol-none")).isEqualTo("no snapshot");
            assertThat(Duration.parse((String) stale.get("vol-old"))).isGreaterThan(Duration.ofDays(8));
            assertThat(databases.get("staleAfter")).isEqualTo("PT48H");
            assertThat(before.status()).isIn("UNKNOWN", "DOWN");

            assertThat(BootLine.inHealthGroup(context, "koyeb-snapshots", "koyebSnapshotSchedules")).isTrue();
            assertThat(BootLine.inHealthGroup(context, "liveness", "koyebSnapshotSchedules")).isFalse();
            assertThat(BootLine.inHealthGroup(context, "readiness", "koyebSnapshotSchedules")).isFalse();
        }
    }
}
