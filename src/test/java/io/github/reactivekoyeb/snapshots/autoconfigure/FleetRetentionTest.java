package io.github.reactivekoyeb.snapshots.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.support.TestSecrets;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import io.github.reactivekoyeb.snapshots.support.TestRedis;
import java.util.function.Supplier;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.provider.redis.spring.RedisLockProvider;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import reactor.core.publisher.Flux;

/**
 * One scheduled retention per fleet: five replicas (five application contexts) with ShedLock's
 * own JDBC provider on one in-process H2 database, or its Redis provider on a real Redis, make one
 * run and one listing; a replica that
 * dies holding the lock leaves it to expire, and the next run does the work; without a
 * {@code LockProvider}, every replica runs and one INFO line says so.
 */
class FleetRetentionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private FakeKoyebServer server;
    private DataSource database;
    private ApplicationContextRunner runner;

    @BeforeEach
    void start() {
        server = FakeKoyebServer.builder().token(TestSecrets.TOKEN).build();
        server.seedHistory("vol-1", "nightly-", Instant.parse("2026-03-01T02:00:00Z"), Duration.ofDays(1), 30);
        database = new DriverManagerDataSource("jdbc:h2:mem:shedlock-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        new JdbcTemplate(database).execute("CREATE TABLE shedlock(name VARCHAR(64) NOT NULL PRIMARY KEY,"
                + " lock_until TIMESTAMP NOT NULL, locked_at TIMESTAMP NOT NULL, locked_by VARCHAR(255) NOT NULL)");
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KoyebSnapshotsAutoConfiguration.class,
                        KoyebRetentionAutoConfiguration.class))
                .withPropertyValues("koyeb.snapshots.base-url=" + server.baseUrl(),
                        "koyeb.snapshots.token=" + TestSecrets.TOKEN, "koyeb.snapshots.retention.enabled=true",
                        "koyeb.snapshots.retention.keep-daily=7", "koyeb.snapshots.retention.dry-run=false",
                        // a cron far away: the test makes the runs the cron would make, at once
                        "koyeb.snapshots.retention.cron=0 0 3 1 1 *");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** {@code count} replicas, each an application context of its own, all running while {@code body} runs. */
    private void withReplicas(int count, List<ScheduledRetention> fleet, List<MeterRegistry> registries, Runnable body) {
        withReplicas(count, () -> new JdbcTemplateLockProvider(database), fleet, registries, body);
    }

    private void withReplicas(int count, Supplier<LockProvider> locks, List<ScheduledRetention> fleet,
            List<MeterRegistry> registries, Runnable body) {
        if (count == 0) {
            body.run();
            return;
        }
        MeterRegistry registry = new SimpleMeterRegistry();
        runner.withBean(LockProvider.class, locks).withBean(MeterRegistry.class, () -> registry).run(context -> {
            fleet.add(context.getBean(ScheduledRetention.class));
            registries.add(registry);
            withReplicas(count - 1, locks, fleet, registries, body);
        });
    }

    /** Five replicas' turns at one cron time, at once: what each did, summed. */
    private void oneTurnEach(List<ScheduledRetention> fleet, List<MeterRegistry> registries) {
        server.clearRequests();
        Flux.fromIterable(fleet).flatMap(ScheduledRetention::lockedRun).then().block(TIMEOUT);
        assertThat(listings()).as("one listing for the fleet").isEqualTo(1);
        assertThat(available()).as("the run deleted what the policy drops").isEqualTo(7);
        assertThat(runs(registries, "success")).isEqualTo(1);
        assertThat(runs(registries, "skipped")).isEqualTo(4);
    }

    private static double runs(List<MeterRegistry> registries, String outcome) {
        return registries.stream().mapToDouble(r -> r.find(MicrometerRetentionMeters.RUNS).tag("outcome", outcome)
                .counters().stream().mapToDouble(c -> c.count()).sum()).sum();
    }

    private long listings() {
        return server.requests().stream().filter(r -> r.method().equals("GET") && r.path().equals("/v1/snapshots")).count();
    }

    private long available() {
        return server.snapshots().stream().filter(s -> s.status() == SnapshotStatus.AVAILABLE).count();
    }

    @Test
    void fiveReplicasOnTheSameCronMakeOneRunAndOneListing() {
        List<MeterRegistry> registries = new ArrayList<>();
        List<ScheduledRetention> fleet = new ArrayList<>();
        withReplicas(5, fleet, registries, () -> oneTurnEach(fleet, registries));
    }

    @Test
    void onShedLocksRedisProviderTooOneRunAndOneListing() {
        try (TestRedis redis = TestRedis.start()) {
            LettuceConnectionFactory factory = new LettuceConnectionFactory(
                    new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
            factory.afterPropertiesSet();
            factory.start();
            try {
                List<MeterRegistry> registries = new ArrayList<>();
                List<ScheduledRetention> fleet = new ArrayList<>();
                withReplicas(5, () -> new RedisLockProvider(factory, "fleet-test"), fleet, registries,
                        () -> oneTurnEach(fleet, registries));
            } finally {
                factory.destroy();
            }
        }
    }

    @Test
    void aReplicaThatDiesHoldingTheLockLeavesItToExpireAndTheNextRunDoesTheWork() {
        List<ScheduledRetention> fleet = new ArrayList<>();
        withReplicas(1, fleet, new ArrayList<>(), () -> survivorFinishes(fleet.get(0)));
    }

    private void survivorFinishes(ScheduledRetention survivor) {
        // the dead replica took the lock, with a short lock-at-most-for, and never released it
        LockProvider dead = new JdbcTemplateLockProvider(database);
        assertThat(dead.lock(new LockConfiguration(Instant.now(), RetentionProperties.DEFAULT_LOCK_NAME,
                Duration.ofMillis(400), Duration.ZERO))).isPresent();
        server.clearRequests();
        survivor.lockedRun().block(TIMEOUT);
        assertThat(listings()).as("the lock is held: the survivor skips its turn").isZero();
        assertThat(available()).isEqualTo(30);

        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (listings() == 0 && System.nanoTime() < deadline) {
            survivor.lockedRun().block(TIMEOUT); // the next turns: once the lock expired, one runs
            sleep(50);
        }
        assertThat(listings()).isEqualTo(1);
        assertThat(available()).isEqualTo(7);
    }

    @Test
    void withAProviderTheScheduleSaysWhichLockWithoutOneItSaysEveryReplicaRuns() {
        Logger logger = (Logger) LoggerFactory.getLogger(ScheduledRetention.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            runner.withBean(LockProvider.class, () -> new JdbcTemplateLockProvider(database))
                    .withPropertyValues("koyeb.snapshots.retention.lock-name=backups-retention",
                            "koyeb.snapshots.retention.lock-at-most-for=10m",
                            "koyeb.snapshots.retention.lock-at-least-for=30s")
                    .run(context -> assertThat(context.getBean(FleetLock.class)).isInstanceOf(ShedLockFleetLock.class));
            runner.run(context -> assertThat(context.getBean(FleetLock.class)).isSameAs(FleetLock.NONE));
            List<String> lines = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(lines).anyMatch(l -> l.contains("runs once per fleet, under the lock 'backups-retention'")
                    && l.contains("at most PT10M, at least PT30S"));
            assertThat(lines).anyMatch(l -> l.contains("runs on every replica: the application has no ShedLock LockProvider"));
        } finally {
            logger.detachAppender(logged);
        }
    }

    @Test
    void lockSettingsThatCannotWorkFailStartUpNamingTheProperty() {
        String[][] cases = {
            {"koyeb.snapshots.retention.lock-at-least-for=2d", "koyeb.snapshots.retention.lock-at-least-for"},
            {"koyeb.snapshots.retention.lock-at-most-for=0s", "lock-at-most-for must be positive"},
            {"koyeb.snapshots.retention.lock-name= ", "lock-name must not be blank"},
        };
        for (String[] c : cases) {
            runner.withPropertyValues(c[0], "koyeb.snapshots.retention.cron=0 0 3 * * *").run(context -> assertThat(context)
                    .getFailure().as(c[0]).rootCause().hasMessageContaining(c[1]));
        }
        // the default lock-at-least-for fits a cron that runs every 10 s: 5 s
        runner.withPropertyValues("koyeb.snapshots.retention.cron=*/10 * * * * *").run(context -> assertThat(
                context.getBean(RetentionProperties.class).toLock().atLeastFor()).isEqualTo(Duration.ofSeconds(5)));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
