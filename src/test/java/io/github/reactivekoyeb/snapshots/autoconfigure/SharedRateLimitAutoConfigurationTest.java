package io.github.reactivekoyeb.snapshots.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.RateLimiter;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.TokenProvider;
import io.github.reactivekoyeb.snapshots.redis.RedisRateLimiter;
import io.github.reactivekoyeb.snapshots.support.TestRedis;
import io.github.reactivekoyeb.snapshots.support.TestSecrets;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * {@code koyeb.snapshots.rate-limit.shared=redis}: the client's limiter is a
 * {@link RedisRateLimiter} on the application's own Redis (a {@code RedisClient} bean, or Spring
 * Data Redis's {@code LettuceConnectionFactory}), against a real Redis and the fake server.
 */
class SharedRateLimitAutoConfigurationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static TestRedis redis;

    private FakeKoyebServer server;
    private ApplicationContextRunner runner;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void start() {
        server = FakeKoyebServer.builder().token(TestSecrets.TOKEN).build();
        server.seed(3);
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KoyebSharedRateLimitAutoConfiguration.class,
                        KoyebSnapshotsAutoConfiguration.class))
                .withPropertyValues("koyeb.snapshots.base-url=" + server.baseUrl(),
                        "koyeb.snapshots.token=" + TestSecrets.TOKEN, "koyeb.snapshots.rate-limit.shared=redis",
                        "koyeb.snapshots.retry.max-retries=0");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Two 429s at once: the fleet's first cut, written in Redis. */
    private static void throttleTwice(FakeKoyebServer server, ReactiveSnapshotsClient client) {
        server.failNext(2, 429, "1").holdTogether(2);
        StepVerifier.create(Flux.merge(client.getSnapshot("snap-000001").onErrorComplete(),
                client.getSnapshot("snap-000002").onErrorComplete())).expectComplete().verify(TIMEOUT);
    }

    @Test
    void onTheApplicationsRedisClientTheClientsLimiterIsSharedAndMetered() {
        RedisClient application = redis.client();
        try {
            runner.withBean(RedisClient.class, () -> application).withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                    .withConfiguration(AutoConfigurations.of(KoyebSharedRateLimitAutoConfiguration.class))
                    .run(context -> {
                        RedisRateLimiter limiter = context.getBean(RedisRateLimiter.class);
                        assertThat(context.getBean(RateLimiter.class)).isSameAs(limiter);
                        assertThat(limiter.key()).startsWith("koyeb:snapshots:rate-limit:token:")
                                .doesNotContain(TestSecrets.TOKEN);
                        throttleTwice(server, context.getBean(ReactiveSnapshotsClient.class));
                        long deadline = System.nanoTime() + TIMEOUT.toNanos();
                        while (!redis.hashes().containsKey(limiter.key()) && System.nanoTime() < deadline) {
                            Thread.sleep(10);
                        }
                        assertThat(redis.hashes()).containsKey(limiter.key());
                        MeterRegistry registry = context.getBean(MeterRegistry.class);
                        assertThat(registry.get("koyeb.snapshots.rate.limit.shared").gauge().value()).isEqualTo(1);
                        assertThat(registry.get("koyeb.snapshots.rate.limit.fallbacks").functionCounter().count()).isZero();
                    });
        } finally {
            application.shutdown();
        }
    }

    @Test
    void onSpringDataRedisTheLimiterUsesItsLettuceClientAndANamedBudgetAndPrefix() {
        runner.withBean(LettuceConnectionFactory.class,
                        () -> new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port())))
                .withPropertyValues("koyeb.snapshots.rate-limit.redis.budget=backups",
                        "koyeb.snapshots.rate-limit.redis.key-prefix=app:", "koyeb.snapshots.rate-limit.redis.command-timeout=200ms")
                .run(context -> {
                    RedisRateLimiter limiter = context.getBean(RedisRateLimiter.class);
                    assertThat(limiter.key()).isEqualTo("app:budget:backups");
                    throttleTwice(server, context.getBean(ReactiveSnapshotsClient.class));
                    long deadline = System.nanoTime() + TIMEOUT.toNanos();
                    while (!redis.hashes().containsKey("app:budget:backups") && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    assertThat(redis.hashes()).containsKey("app:budget:backups");
                    assertThat(limiter.mode()).isEqualTo(RedisRateLimiter.Mode.SHARED);
                });
    }

    @Test
    void whatCannotWorkFailsStartUpSayingWhy() {
        runner.run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("koyeb.snapshots.rate-limit.shared=redis needs the application's Redis"));
        runner.withClassLoader(new FilteredClassLoader(RedisClient.class)).run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("needs Lettuce"));
        RedisClient application = redis.client();
        try {
            runner.withBean(RedisClient.class, () -> application)
                    .withBean(TokenProvider.class, () -> () -> Mono.just(TestSecrets.TOKEN))
                    .withPropertyValues("koyeb.snapshots.token=")
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .hasMessageContaining("koyeb.snapshots.rate-limit.redis.budget"));
            runner.withBean(RedisClient.class, () -> application)
                    .withPropertyValues("koyeb.snapshots.rate-limit.redis.command-timeout=0s")
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .hasMessageContaining("koyeb.snapshots.rate-limit.redis.command-timeout"));
            runner.withBean(RedisClient.class, () -> application)
                    .withPropertyValues("koyeb.snapshots.rate-limit.redis.budget=a b")
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .hasMessageContaining("koyeb.snapshots.rate-limit.redis.budget"));
        } finally {
            application.shutdown();
        }
    }

    @Test
    void anApplicationsOwnLimiterWinsAndWithoutThePropertyTheLimiterIsLocal() {
        RateLimiter own = RateLimiter.adaptive();
        runner.withBean(RateLimiter.class, () -> own).run(context -> {
            assertThat(context.getBean(RateLimiter.class)).isSameAs(own);
            assertThat(context).doesNotHaveBean(RedisRateLimiter.class);
        });
        runner.withPropertyValues("koyeb.snapshots.rate-limit.shared=none").run(context ->
                assertThat(context.getBean(RateLimiter.class)).isNotInstanceOf(RedisRateLimiter.class));
    }
}
