package io.github.reactivekoyeb.snapshots.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.KoyebRateLimitException;
import io.github.reactivekoyeb.snapshots.RateLimitSettings;
import io.github.reactivekoyeb.snapshots.RateLimiter;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.support.TestSecrets;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** {@code koyeb.snapshots.rate-limit.*}, the limiter bean and its meters, against a real fake server. */
class RateLimitAutoConfigurationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private FakeKoyebServer server;
    private ApplicationContextRunner runner;

    @BeforeEach
    void start() {
        server = FakeKoyebServer.builder().token(TestSecrets.TOKEN).build();
        server.seed(3);
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KoyebSnapshotsAutoConfiguration.class))
                .withPropertyValues("koyeb.snapshots.base-url=" + server.baseUrl(),
                        "koyeb.snapshots.token=" + TestSecrets.TOKEN);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A 429 that asks for 1 s, then another call: how long until that one reaches the server. */
    private Duration pauseAfterA429(ReactiveSnapshotsClient client) {
        return pauseAfterA429(client, 1);
    }

    /** A 429 that asks for {@code retryAfterSeconds}, then another call: how long until that one reaches the server. */
    private Duration pauseAfterA429(ReactiveSnapshotsClient client, int retryAfterSeconds) {
        server.failNext(1, 429, Integer.toString(retryAfterSeconds));
        StepVerifier.create(client.getSnapshot("snap-000001")).expectError(KoyebRateLimitException.class).verify(TIMEOUT);
        StepVerifier.create(client.getSnapshot("snap-000002")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        return Duration.between(server.requests().get(0).receivedAt(), server.requests().get(1).receivedAt());
    }

    @Test
    void theLimiterIsOnByDefaultWithItsDefaultSettings() {
        runner.withPropertyValues("koyeb.snapshots.retry.max-retries=0").run(context -> {
            RateLimiter limiter = context.getBean(RateLimiter.class);
            assertThat(limiter.toString()).contains(RateLimitSettings.defaults().toString());
            assertThat(pauseAfterA429(context.getBean(ReactiveSnapshotsClient.class)))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        });
    }

    @Test
    void theSettingsComeFromTheProperties() {
        runner.withPropertyValues("koyeb.snapshots.rate-limit.max-wait=5s", "koyeb.snapshots.rate-limit.min-rate=2.5",
                "koyeb.snapshots.rate-limit.decrease=0.7").run(context -> {
            assertThat(context.getBean(RateLimiter.class).maxWait()).isEqualTo(Duration.ofSeconds(5));
            assertThat(context.getBean(RateLimiter.class).toString()).contains(RateLimitSettings.builder()
                    .maxWait(Duration.ofSeconds(5)).minRate(2.5).decrease(0.7).build().toString());
        });
    }

    @Test
    void enabledFalseTurnsTheLimiterOff() {
        runner.withPropertyValues("koyeb.snapshots.rate-limit.enabled=false", "koyeb.snapshots.retry.max-retries=0")
                .run(context -> {
                    assertThat(context.getBean(RateLimiter.class)).isSameAs(RateLimiter.NONE);
                    // a limiter would hold the second call for the whole 20 s (past TIMEOUT); without
                    // one it goes at once, and 5 s leaves room for a slow CI machine
                    assertThat(pauseAfterA429(context.getBean(ReactiveSnapshotsClient.class), 20))
                            .isLessThan(Duration.ofSeconds(5));
                });
    }

    @Test
    void anApplicationLimiterBeanIsTheClientsAndTheGaugesOne() {
        RateLimiter own = RateLimiter.adaptive(RateLimitSettings.builder().maxWait(Duration.ofSeconds(3)).build());
        runner.withBean(RateLimiter.class, () -> own).withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("koyeb.snapshots.retry.max-retries=0").run(context -> {
                    assertThat(context.getBean(RateLimiter.class)).isSameAs(own);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("koyeb.snapshots.rate.limit").gauge().value()).isNaN();
                    // two 429s at once: the first one a client meets is stray (a pause, the rate left free),
                    // the second one lowers the rate
                    server.failNext(2, 429, "1").holdTogether(2);
                    ReactiveSnapshotsClient client = context.getBean(ReactiveSnapshotsClient.class);
                    StepVerifier.create(Flux.merge(client.getSnapshot("snap-000001").onErrorComplete(),
                            client.getSnapshot("snap-000002").onErrorComplete())).expectComplete().verify(TIMEOUT);
                    StepVerifier.create(client.getSnapshot("snap-000003")).expectNextCount(1).expectComplete()
                            .verify(TIMEOUT);
                    assertThat(Duration.between(server.requests().get(1).receivedAt(), server.requests().get(2)
                            .receivedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
                    assertThat(own.rate()).isFinite();
                    assertThat(registry.get("koyeb.snapshots.rate.limit").gauge().value()).isEqualTo(own.rate());
                    assertThat(registry.get("koyeb.snapshots.throttled").counter().count()).isEqualTo(2);
                    assertThat(registry.get("koyeb.snapshots.rate.limit.wait").timer().count()).isEqualTo(1);
                });
    }

    @Test
    void badValuesFailStartUpNamingTheFullProperty() {
        String[][] cases = {
            {"koyeb.snapshots.rate-limit.max-wait=0s", "koyeb.snapshots.rate-limit.max-wait"},
            {"koyeb.snapshots.rate-limit.min-rate=0", "koyeb.snapshots.rate-limit.min-rate must be a positive number"},
            {"koyeb.snapshots.rate-limit.decrease=1.5",
                "koyeb.snapshots.rate-limit.decrease must be more than 0 and less than 1, was 1.5"},
        };
        for (String[] c : cases) {
            runner.withPropertyValues(c[0]).run(context -> {
                assertThat(context).hasFailed();
                StringBuilder all = new StringBuilder();
                for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                    all.append(t.getMessage()).append('\n');
                }
                assertThat(all.toString()).as(c[0]).contains(c[1]);
            });
        }
    }

    @Test
    void thePropertiesBuildTheLimiterOffTheBootLineToo() {
        KoyebSnapshotsProperties properties = new KoyebSnapshotsProperties();
        assertThat(properties.toRateLimiter().maxWait()).isEqualTo(RateLimitSettings.defaults().maxWait());
        properties.getRateLimit().setEnabled(false);
        assertThat(properties.toRateLimiter()).isSameAs(RateLimiter.NONE);
        ReactiveSnapshotsClient.Builder builder = ReactiveSnapshotsClient.builder();
        properties.applyTo(builder);
        assertThat(builder.retryPolicy(RetryPolicy.none()).toString()).contains("RateLimiter.NONE");
    }
}
