package io.github.reactivekoyeb.snapshots.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.KoyebServiceUnavailableException;
import io.github.reactivekoyeb.snapshots.ConnectionPoolSettings;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryBudget;
import io.github.reactivekoyeb.snapshots.RetryReason;
import io.github.reactivekoyeb.snapshots.TokenProvider;
import io.github.reactivekoyeb.snapshots.support.BootLine;
import io.github.reactivekoyeb.snapshots.support.TestSecrets;
import io.github.reactivekoyeb.snapshots.support.TokenLeakAppender;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.Configurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.reactive.function.client.ClientRequest;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The auto-configuration, property by property, against a real fake server. */
class KoyebSnapshotsAutoConfigurationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private FakeKoyebServer server;
    private ApplicationContextRunner runner;

    @BeforeEach
    void start() {
        server = FakeKoyebServer.builder().token(TestSecrets.TOKEN).build();
        server.seed(250);
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KoyebSnapshotsAutoConfiguration.class))
                .withPropertyValues("koyeb.snapshots.base-url=" + server.baseUrl());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aTokenPropertyGivesAWorkingClientOnTheConfiguredBaseUrl() {
        runner.withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN).run(context -> {
            assertThat(context).hasSingleBean(ReactiveSnapshotsClient.class);
            ReactiveSnapshotsClient client = context.getBean(ReactiveSnapshotsClient.class);
            StepVerifier.create(client.getSnapshot("snap-000001")).expectNextCount(1).expectComplete().verify(TIMEOUT);
            assertThat(server.lastRequest().header("Authorization")).isEqualTo("Bearer " + TestSecrets.TOKEN);
        });
    }

    @Test
    void theTokenFallsBackToTheEnvironmentVariable() {
        runner.withPropertyValues("KOYEB_API_TOKEN=" + TestSecrets.TOKEN, "koyeb.snapshots.token= ").run(context -> {
            ReactiveSnapshotsClient client = context.getBean(ReactiveSnapshotsClient.class);
            client.getSnapshot("snap-000001").block(TIMEOUT);
            assertThat(server.lastRequest().header("Authorization")).isEqualTo("Bearer " + TestSecrets.TOKEN);
        });
    }

    @Test
    void withoutATokenThereIsNoClientAndOneInfoLineSaysWhy() {
        runner.withPropertyValues("koyeb.snapshots.token=   ").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(ReactiveSnapshotsClient.class);
            assertThat(TokenLeakAppender.recentLines()).anyMatch(line -> line.startsWith("INFO ")
                    && line.contains("No Koyeb API token") && line.contains("KOYEB_API_TOKEN"));
        });
    }

    @Test
    void aConnectionDetailsBeanTakesThePlaceOfTheBaseUrlAndTokenProperties() {
        KoyebConnectionDetails details = new KoyebConnectionDetails() {
            @Override
            public String getBaseUrl() {
                return server.baseUrl();
            }

            @Override
            public String getToken() {
                return TestSecrets.TOKEN;
            }
        };
        runner.withPropertyValues("koyeb.snapshots.base-url=http://127.0.0.1:9", "koyeb.snapshots.page-size=50")
                .withBean(KoyebConnectionDetails.class, () -> details).run(context -> {
                    ReactiveSnapshotsClient client = context.getBean(ReactiveSnapshotsClient.class);
                    assertThat(client.listSnapshots().count().block(TIMEOUT)).isEqualTo(250);
                    assertThat(server.lastRequest().header("Authorization")).isEqualTo("Bearer " + TestSecrets.TOKEN);
                    assertThat(server.lastRequest().queryParameter("limit")).as("other properties apply").isEqualTo("50");
                });
    }

    @Test
    void processedAheadOfTimeTheClientBeanIsThereAndReadsTheTokenWhenTheApplicationStarts() {
        // Spring's AOT processing sets this property: the build has no token, the running application does
        runner.withSystemProperties("spring.aot.processing=true").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("No Koyeb API token")
                .hasMessageContaining("processed ahead of time"));
        runner.withSystemProperties("spring.aot.processing=true")
                .withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN)
                .run(context -> assertThat(context).hasSingleBean(ReactiveSnapshotsClient.class));
    }

    @Test
    void pageSizeIsTheDefaultPageSizeOfListings() {
        runner.withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN, "koyeb.snapshots.page-size=25")
                .run(context -> {
                    ReactiveSnapshotsClient client = context.getBean(ReactiveSnapshotsClient.class);
                    assertThat(client.listSnapshots().count().block(TIMEOUT)).isEqualTo(250);
                    assertThat(server.requestCount()).isEqualTo(10);
                    assertThat(server.lastRequest().queryParameter("limit")).isEqualTo("25");
                });
    }

    @Test
    void retryPropertiesShapeTheRetryPolicy() {
        runner.withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN, "koyeb.snapshots.retry.max-retries=1",
                "koyeb.snapshots.retry.initial-backoff=5ms", "koyeb.snapshots.retry.max-backoff=10ms").run(context -> {
                    server.failNext(5, 503);
                    StepVerifier.create(context.getBean(ReactiveSnapshotsClient.class).getSnapshot("snap-000001"))
                            .expectErrorSatisfies(e -> assertThat(((KoyebServiceUnavailableException) e).attempts())
                                    .isEqualTo(2))
                            .verify(TIMEOUT);
                    assertThat(server.requestCount()).isEqualTo(2);
                });
    }

    @Test
    void responseTimeoutIsApplied() {
        server.latency(Duration.ofSeconds(2));
        runner.withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN, "koyeb.snapshots.response-timeout=200ms",
                "koyeb.snapshots.retry.max-retries=0").run(context -> {
                    long start = System.nanoTime();
                    StepVerifier.create(context.getBean(ReactiveSnapshotsClient.class).getSnapshot("snap-000001"))
                            .expectError().verify(TIMEOUT);
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
                });
    }

    @Test
    void badValuesFailStartUpNamingTheFullProperty() {
        String[][] cases = {
            {"koyeb.snapshots.page-size=0", "koyeb.snapshots.page-size"},
            {"koyeb.snapshots.page-size=101", "koyeb.snapshots.page-size"},
            {"koyeb.snapshots.retry.max-retries=-1", "koyeb.snapshots.retry.max-retries"},
            {"koyeb.snapshots.base-url=not a url", "koyeb.snapshots.base-url"},
            {"koyeb.snapshots.base-url=ftp://example.com", "koyeb.snapshots.base-url"},
            {"koyeb.snapshots.response-timeout=0s", "koyeb.snapshots.response-timeout"},
            {"koyeb.snapshots.retry.max-backoff=-1s", "koyeb.snapshots.retry.max-backoff"},
            {"koyeb.snapshots.read-ahead=17", "koyeb.snapshots.read-ahead must be between 0 and 16"},
            {"koyeb.snapshots.retry.budget.max-tokens=0", "koyeb.snapshots.retry.budget.max-tokens must be at least 1"},
            {"koyeb.snapshots.retry.budget.retry-cost=0", "koyeb.snapshots.retry.budget.retry-cost must be at least 1"},
            {"koyeb.snapshots.retry.budget.timeout-cost=-3", "koyeb.snapshots.retry.budget.timeout-cost must be at least 1"},
            {"koyeb.snapshots.retry.budget.success-refill=-1", "koyeb.snapshots.retry.budget.success-refill must not be negative"},
            // the builder's own URL check, so what the builder rejects the properties reject too
            {"koyeb.snapshots.base-url=https://user@app.koyeb.com", "koyeb.snapshots.base-url must not have a query, a fragment or user info"},
            {"koyeb.snapshots.base-url=https://app.koyeb.com/#x", "koyeb.snapshots.base-url must not have a query, a fragment or user info"},
            {"koyeb.snapshots.proxy.host=proxy.local,koyeb.snapshots.proxy.port=0", "koyeb.snapshots.proxy.port must be between 1 and 65535, was 0"},
        };
        for (String[] c : cases) {
            runner.withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN).withPropertyValues(c[0].split(","))
                    .run(context -> {
                assertThat(context).hasFailed();
                assertThat(messages(context.getStartupFailure())).as(c[0]).contains(c[1]);
            });
        }
    }

    @Test
    void everyBadValueIsReportedAtOnceInItsDomainTypesWords() {
        runner.withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN, "koyeb.snapshots.page-size=0",
                "koyeb.snapshots.retry.budget.max-tokens=0", "koyeb.snapshots.retry.initial-backoff=0s").run(context -> {
                    String all = messages(context.getStartupFailure());
                    assertThat(all).contains("koyeb.snapshots.page-size must be between 1 and 100, was 0",
                            "koyeb.snapshots.retry.budget.max-tokens must be at least 1, was 0",
                            "koyeb.snapshots.retry.initial-backoff must be positive, was PT0S");
                });
    }

    /**
     * The customizer of {@code docs/spring-boot.md}, as written, on an application that has Boot's
     * {@code WebClient.Builder}: its pool of 128 holds (a burst of 150 slow calls opens more than the
     * 16 connections of Reactor Netty's default pool that Boot's builder would have used).
     */
    @Test
    void theDocumentedPoolCustomizerHoldsOnAnApplicationsWebClientBuilder() {
        server.latency(Duration.ofMillis(300));
        runner.withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN)
                .withBean(org.springframework.web.reactive.function.client.WebClient.Builder.class,
                        org.springframework.web.reactive.function.client.WebClient::builder)
                .withUserConfiguration(DocumentedPoolCustomizer.class).run(context -> {
                    ReactiveSnapshotsClient client = context.getBean(ReactiveSnapshotsClient.class);
                    long ok = reactor.core.publisher.Flux.range(0, 150)
                            .flatMap(i -> client.getSnapshot("snap-000001"), 150).count().block(Duration.ofSeconds(20));
                    assertThat(ok).isEqualTo(150);
                    assertThat(server.connectionsOpened()).as("connections opened").isGreaterThan(16).isLessThanOrEqualTo(128);
                });
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class DocumentedPoolCustomizer {
        // as docs/spring-boot.md shows it
        @org.springframework.context.annotation.Bean
        ReactiveSnapshotsClientBuilderCustomizer biggerPool() {
            return builder -> builder.connectionPool(ConnectionPoolSettings.builder().maxConnections(128).build());
        }
    }

    @Test
    void builderCustomizerBeansAreAppliedInOrderAfterTheProperties() {
        runner.withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN, "koyeb.snapshots.page-size=40")
                .withUserConfiguration(OrderedCustomizers.class)
                .run(context -> {
                    StepVerifier.create(context.getBean(ReactiveSnapshotsClient.class).listSnapshotPages(
                            io.github.reactivekoyeb.snapshots.ListSnapshotsRequest.all()).take(1))
                            .expectNextCount(1).expectComplete().verify(TIMEOUT);
                    // the property set 40, the customizer ordered first 25, the one ordered last 7
                    assertThat(server.lastRequest().queryParameter("limit")).isEqualTo("7");
                });
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class OrderedCustomizers {
        @org.springframework.context.annotation.Bean
        @org.springframework.core.annotation.Order(1)
        ReactiveSnapshotsClientBuilderCustomizer first() {
            return builder -> builder.defaultPageSize(25);
        }

        @org.springframework.context.annotation.Bean
        @org.springframework.core.annotation.Order(3)
        ReactiveSnapshotsClientBuilderCustomizer last() {
            return builder -> builder.defaultPageSize(7);
        }
    }

    @Test
    void anApplicationClientReplacesTheAutoConfiguredOne() {
        ReactiveSnapshotsClient own = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).build();
        runner.withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN)
                .withBean(ReactiveSnapshotsClient.class, () -> own)
                .run(context -> assertThat(context.getBean(ReactiveSnapshotsClient.class)).isSameAs(own));
    }

    @Test
    void theApplicationsWebClientBuilderAndItsCustomizersAreUsed() {
        BootLine.withWebClientCustomizer(runner.withConfiguration(BootLine.webClient()), builder -> builder.filter(
                        (request, next) -> next.exchange(ClientRequest.from(request).header("X-Customized", "yes").build())))
                .withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN)
                .run(context -> {
                    context.getBean(ReactiveSnapshotsClient.class).getSnapshot("snap-000001").block(TIMEOUT);
                    assertThat(server.lastRequest().header("X-Customized")).isEqualTo("yes");
                });
    }

    @Test
    void metricsCountRetriesByReasonAndPages() {
        // without the rate limiter, which would pace the calls after the 429s (RateLimitingTest)
        runner.withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN, "koyeb.snapshots.retry.initial-backoff=5ms",
                        "koyeb.snapshots.retry.max-backoff=10ms", "koyeb.snapshots.rate-limit.enabled=false")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    // every reason is registered at zero before the first retry
                    for (RetryReason reason : RetryReason.values()) {
                        assertThat(registry.get("koyeb.snapshots.retries").tag("reason", reason.tag()).counter().count())
                                .isZero();
                        assertThat(registry.get("koyeb.snapshots.retry.budget.exhausted").tag("reason", reason.tag())
                                .counter().count()).isZero();
                    }
                    ReactiveSnapshotsClient client = context.getBean(ReactiveSnapshotsClient.class);
                    server.failNext(1, 503);
                    server.failNext(2, 429);
                    client.getSnapshot("snap-000001").block(TIMEOUT);
                    client.listSnapshots().then().block(TIMEOUT);
                    assertThat(registry.get("koyeb.snapshots.retries").tag("reason", "503").counter().count()).isEqualTo(1);
                    assertThat(registry.get("koyeb.snapshots.retries").tag("reason", "429").counter().count()).isEqualTo(2);
                    assertThat(registry.get("koyeb.snapshots.pages").counter().count()).isEqualTo(3);
                    assertThat(registry.getMeters()).allSatisfy(meter -> assertThat(meter.getId().toString())
                            .doesNotContain(TestSecrets.TOKEN).doesNotContain("snap-000001"));
                });
    }

    @Test
    void metersCountWatchPassesEventsAndListingRepairs() {
        runner.withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    for (String type : new String[] {"added", "modified", "removed"}) {
                        assertThat(registry.get("koyeb.snapshots.watch.events").tag("type", type).counter().count())
                                .isZero();
                    }
                    assertThat(registry.get("koyeb.snapshots.listing.repairs").counter().count()).isZero();
                    ReactiveSnapshotsClient client = context.getBean(ReactiveSnapshotsClient.class);
                    // a burst of removals behind a consistent listing's cursor: it repairs itself
                    server.changeBeforeListRequest(2, io.github.reactivekoyeb.snapshots.testing.FakeChange.removeAt(0, 60));
                    client.listSnapshots(io.github.reactivekoyeb.snapshots.ListSnapshotsRequest.builder().pageSize(100)
                            .consistent(true).build()).then().block(TIMEOUT);
                    assertThat(registry.get("koyeb.snapshots.listing.repairs").counter().count()).isPositive();
                    // a first pass of the 190 left, then idle passes, for 800 ms
                    client.watchSnapshots(io.github.reactivekoyeb.snapshots.ListSnapshotsRequest.all(),
                            Duration.ofMillis(20)).take(Duration.ofMillis(800)).then().block(TIMEOUT);
                    assertThat(registry.get("koyeb.snapshots.watch.events").tag("type", "added").counter().count())
                            .isEqualTo(190);
                    assertThat(registry.get("koyeb.snapshots.watch.passes").tag("outcome", "complete").counter()
                            .count()).isGreaterThanOrEqualTo(2);
                });
    }

    @Test
    void withoutAMeterRegistryThereAreNoMetricsAndTheClientWorks() {
        runner.withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN).run(context -> {
            assertThat(context).doesNotHaveBean(MicrometerClientEventListener.class);
            assertThat(context.getBean(ReactiveSnapshotsClient.class).listSnapshots().count().block(TIMEOUT))
                    .isEqualTo(250);
        });
    }

    @Test
    void itRunsAfterThisLinesWebClientAndMeterRegistryAutoConfigurations() {
        List<Class<?>> ordered = Arrays.asList(Configurations.getClasses(BootLine.metrics(), BootLine.webClient(),
                AutoConfigurations.of(KoyebSnapshotsAutoConfiguration.class)));
        int ours = ordered.indexOf(KoyebSnapshotsAutoConfiguration.class);
        for (Class<?> boots : Configurations.getClasses(BootLine.webClient(), BootLine.metrics())) {
            assertThat(ordered.indexOf(boots)).as(boots.getName()).isLessThan(ours);
        }
        // by name, so that each line's classes are named without loading the other line's
        List<String> after = Arrays.asList(KoyebSnapshotsAutoConfiguration.class.getAnnotation(AutoConfiguration.class)
                .afterName());
        assertThat(after).containsAll(Stream.of(BootLine.webClient(), BootLine.metrics())
                .flatMap(c -> Arrays.stream(Configurations.getClasses(c))).map(Class::getName)
                .filter(name -> !name.endsWith(".MetricsAutoConfiguration")).toList());
    }

    @Test
    void withThisLinesMetricsAutoConfigurationTheCountersAreRegisteredOnBootsRegistry() {
        runner.withConfiguration(BootLine.metrics())
                .withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(MicrometerClientEventListener.class);
                    context.getBean(ReactiveSnapshotsClient.class).listSnapshots().then().block(TIMEOUT);
                    assertThat(context.getBean(MeterRegistry.class).get("koyeb.snapshots.pages").counter().count())
                            .isEqualTo(3);
                });
    }

    @Test
    void withoutThisLinesWebClientModuleAndActuatorTheClientStillWorks() {
        String[] hidden = Stream.concat(Arrays.stream(BootLine.WEB_CLIENT_MODULE_PACKAGES),
                Arrays.stream(BootLine.METRICS_MODULE_PACKAGES)).toArray(String[]::new);
        runner.withClassLoader(new FilteredClassLoader(hidden))
                .withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(ReactiveSnapshotsClient.class);
                    StepVerifier.create(context.getBean(ReactiveSnapshotsClient.class).listSnapshots())
                            .expectNextCount(250).expectComplete().verify(TIMEOUT);
                });
    }

    @Test
    void aTokenProviderBeanGivesTheClientItsTokensAndOverridesTheProperty() {
        server.requireToken(TestSecrets.ROTATED);
        runner.withBean(TokenProvider.class, () -> () -> Mono.just(TestSecrets.ROTATED)).run(context -> {
            assertThat(context).hasSingleBean(ReactiveSnapshotsClient.class);
            assertThat(context.getBean(ReactiveSnapshotsClient.class).getSnapshot("snap-000001").block(TIMEOUT)).isNotNull();
            assertThat(server.lastRequest().header("Authorization")).isEqualTo("Bearer " + TestSecrets.ROTATED);
        });
        runner.withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN)
                .withBean(TokenProvider.class, () -> () -> Mono.just(TestSecrets.ROTATED)).run(context -> {
                    context.getBean(ReactiveSnapshotsClient.class).getSnapshot("snap-000002").block(TIMEOUT);
                    assertThat(server.lastRequest().header("Authorization")).isEqualTo("Bearer " + TestSecrets.ROTATED);
                });
    }

    @Test
    void twoTokenProviderBeansFailStartUpInsteadOfGivingAClientWithoutAToken() {
        runner.withBean("first", TokenProvider.class, () -> () -> Mono.just(TestSecrets.ROTATED))
                .withBean("second", TokenProvider.class, () -> () -> Mono.just(TestSecrets.TOKEN))
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasRootCauseInstanceOf(org.springframework.beans.factory.NoUniqueBeanDefinitionException.class)
                        .rootCause().hasMessageContaining("TokenProvider"));
    }

    @Test
    void readAheadAndCompressionComeFromTheProperties() {
        server.latency(Duration.ofMillis(400));
        runner.withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN, "koyeb.snapshots.read-ahead=3",
                "koyeb.snapshots.compression=false").run(context -> {
                    reactor.core.Disposable listing = context.getBean(ReactiveSnapshotsClient.class).listSnapshots()
                            .subscribe();
                    Thread.sleep(200);
                    assertThat(server.requestCount()).isEqualTo(3);
                    assertThat(server.lastRequest().header("Accept-Encoding")).isNull();
                    listing.dispose();
                });
    }

    @Test
    void theRetryBudgetComesFromThePropertiesAndRefusalsAreCounted() {
        runner.withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN, "koyeb.snapshots.retry.initial-backoff=2ms",
                        "koyeb.snapshots.retry.max-backoff=5ms", "koyeb.snapshots.retry.budget.max-tokens=5",
                        "koyeb.snapshots.retry.budget.retry-cost=5")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    assertThat(context.getBean(KoyebSnapshotsProperties.class).toRetryPolicy().budget())
                            .isEqualTo(RetryBudget.builder().maxTokens(5).retryCost(5).build());
                    server.failNext(3, 503);
                    StepVerifier.create(context.getBean(ReactiveSnapshotsClient.class).getSnapshot("snap-000001"))
                            .expectErrorSatisfies(e -> {
                                assertThat(e).isInstanceOf(KoyebServiceUnavailableException.class);
                                assertThat(((KoyebServiceUnavailableException) e).attempts()).isEqualTo(2);
                                assertThat(((KoyebServiceUnavailableException) e).retryBudgetExhausted()).isTrue();
                            })
                            .verify(TIMEOUT);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("koyeb.snapshots.retry.budget.exhausted").tag("reason", "503").counter()
                            .count()).isEqualTo(1);
                    assertThat(registry.get("koyeb.snapshots.retries").tag("reason", "503").counter().count())
                            .isEqualTo(1);
                });
    }

    @Test
    void theRetryBudgetCanBeTurnedOff() {
        runner.withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN, "koyeb.snapshots.retry.initial-backoff=2ms",
                        "koyeb.snapshots.retry.max-backoff=5ms", "koyeb.snapshots.retry.budget.enabled=false",
                        "koyeb.snapshots.retry.budget.max-tokens=5")
                .run(context -> {
                    assertThat(context.getBean(KoyebSnapshotsProperties.class).toRetryPolicy().budget())
                            .isEqualTo(RetryBudget.unlimited());
                    server.failNext(3, 503);
                    assertThat(context.getBean(ReactiveSnapshotsClient.class).getSnapshot("snap-000001").block(TIMEOUT))
                            .isNotNull();
                    assertThat(server.requestCount()).isEqualTo(4);
                });
    }

    @Test
    void withoutMicrometerOnTheClassPathTheClientStillWorks() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN)
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerClientEventListener.class);
                    assertThat(context.getBean(ReactiveSnapshotsClient.class).getSnapshot("snap-000001").block(TIMEOUT))
                            .isNotNull();
                });
    }

    @Test
    void aTokenRejectedAtStartUpIsNotQuotedInTheFailure() {
        String bad = "x\u0007" + TestSecrets.TOKEN; // a control character inside, so trimming cannot drop it
        runner.withPropertyValues("koyeb.snapshots.token=" + bad).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            String analysis = failureAnalysis(failure);
            assertThat(messages(failure) + analysis).contains("koyeb.snapshots.token")
                    .doesNotContain(TestSecrets.TOKEN);
        });
    }

    @Test
    void propertiesNeverShowTheToken() {
        runner.withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN).run(context ->
                assertThat(context.getBean(KoyebSnapshotsProperties.class).toString()).doesNotContain(TestSecrets.TOKEN));
    }

    /** What Spring Boot prints for a start-up failure of this kind (its analyzer is not public). */
    private static String failureAnalysis(Throwable failure) throws Exception {
        Class<?> type = Class.forName("org.springframework.boot.diagnostics.analyzer.BindValidationFailureAnalyzer");
        var constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        var analyzer = (org.springframework.boot.diagnostics.FailureAnalyzer) constructor.newInstance();
        var analysis = analyzer.analyze(failure);
        assertThat(analysis).as("Boot analyses the failure").isNotNull();
        return analysis.getDescription() + analysis.getAction();
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
