package io.github.reactivekoyeb.snapshots.testing;

import static io.github.reactivekoyeb.snapshots.support.Ports.listening;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.reactivekoyeb.snapshots.CreateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.KoyebUnauthorizedException;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.support.TestSecrets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * {@link FakeKoyebServerExtension} as users declare it. Each case is a test class of its own (the
 * nested {@code *Sample} classes, which Surefire does not run by themselves), run here through the
 * JUnit Platform launcher; the samples' assertions must all pass, and what they saw is checked
 * after the run.
 */
class FakeKoyebServerExtensionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Ports seen by the samples, per sample. */
    static final Map<String, Set<Integer>> PORTS = new ConcurrentHashMap<>();

    static ReactiveSnapshotsClient client(FakeKoyebServer server) {
        return ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).token(TestSecrets.TOKEN)
                .build();
    }

    static void saw(String sample, FakeKoyebServer server) {
        PORTS.computeIfAbsent(sample, k -> ConcurrentHashMap.newKeySet()).add(server.port());
    }

    private static TestExecutionSummary run(Map<String, String> configuration, Class<?>... samples) {
        for (Class<?> sample : samples) {
            PORTS.remove(sample.getSimpleName());
        }
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false)
                .enableLauncherSessionListenerAutoRegistration(false).build());
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(java.util.Arrays.stream(samples).map(c -> selectClass(c)).toList())
                .filters(EngineFilter.includeEngines("junit-jupiter")).configurationParameters(configuration).build(),
                listener);
        return listener.getSummary();
    }

    private static void assertAllPassed(Class<?> sample, long expected) {
        assertAllPassed(Map.of(), expected, sample);
    }

    private static void assertAllPassed(Map<String, String> configuration, long expected, Class<?>... samples) {
        TestExecutionSummary summary = run(configuration, samples);
        String failures = summary.getFailures().stream()
                .map(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException())
                .collect(Collectors.joining("\n"));
        assertThat(summary.getTotalFailureCount()).as(failures).isZero();
        assertThat(summary.getTestsSucceededCount()).as(failures).isEqualTo(expected);
    }

    private static Set<Integer> ports(Class<?> sample) {
        return PORTS.getOrDefault(sample.getSimpleName(), Set.of());
    }

    /** The sample's tests all ran on one server, which is closed now that the class is done. */
    private static void assertOneServerClosedAfterTheClass(Class<?> sample) {
        assertThat(ports(sample)).as("one server for the class").hasSize(1);
        assertThat(listening(ports(sample).iterator().next())).as("closed after the class").isFalse();
    }

    // ------------------------------------------------------------------ the cases

    @Test
    void extendWithGivesOneServerPerClassResetBeforeEachTestAndClosedAfterTheClass() {
        assertAllPassed(DefaultsSample.class, 2);
        assertOneServerClosedAfterTheClass(DefaultsSample.class);
    }

    @Test
    void theFirstTestFitsInFiveLines() {
        assertAllPassed(FiveLinesSample.class, 1);
    }

    @Test
    void constructorsAndBeforeEachMethodsGetTheSameServerAsTheTest() {
        assertAllPassed(ConstructorSample.class, 2);
        assertOneServerClosedAfterTheClass(ConstructorSample.class);
    }

    @Test
    void registerExtensionTakesTheServersSettingsAndSnapshotsEachTestStartsWith() {
        assertAllPassed(RegisteredSample.class, 2);
        assertOneServerClosedAfterTheClass(RegisteredSample.class);
    }

    @Test
    void aNonStaticFieldStillGivesOneServerForTheClass() {
        assertAllPassed(InstanceFieldSample.class, 2);
        assertOneServerClosedAfterTheClass(InstanceFieldSample.class);
    }

    @Test
    void nestedClassesShareTheEnclosingClassesServer() {
        assertAllPassed(NestedSample.class, 2);
        assertOneServerClosedAfterTheClass(NestedSample.class);
    }

    @Test
    void concurrentTestsEachGetAServerOfTheirOwn() {
        Map<String, String> parallel = Map.of("junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
        assertAllPassed(parallel, 4, ConcurrentSample.class);
        assertThat(ports(ConcurrentSample.class)).as("one server per test").hasSize(4);
        assertThat(ports(ConcurrentSample.class)).allSatisfy(port -> assertThat(listening(port)).isFalse());
    }

    @Test
    void classesRunInParallelHaveAServerEachAndTestsOfAClassStillShareOne() {
        Map<String, String> classesInParallel = Map.of("junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                "junit.jupiter.execution.parallel.mode.default", "same_thread");
        PORTS.remove("ParallelClassesSample");
        assertAllPassed(classesInParallel, 4, ParallelClassesSample.First.class, ParallelClassesSample.Second.class);
        assertThat(ports(ParallelClassesSample.class)).as("one server per class").hasSize(2);
    }

    @Test
    void builderRejectsANegativeSnapshotCount() {
        assertThatThrownBy(() -> FakeKoyebServerExtension.builder().snapshots(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snapshots");
    }

    @Test
    void serverBeforeTheClassStartsIsATypedError() {
        assertThatThrownBy(() -> FakeKoyebServerExtension.builder().build().server())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("@BeforeAll");
    }

    // ------------------------------------------------------------------ the samples

    @ExtendWith(FakeKoyebServerExtension.class)
    static class FiveLinesSample {
        @Test
        void lists(FakeKoyebServer koyeb) {
            koyeb.seed(3);
            try (var client = ReactiveSnapshotsClient.builder().baseUrl(koyeb.baseUrl()).token("t").build()) {
                assertThat(client.listSnapshots().count().block(TIMEOUT)).isEqualTo(3);
            }
        }
    }

    @ExtendWith(FakeKoyebServerExtension.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class DefaultsSample {
        @Test
        @Order(1)
        void leavesSnapshotsScriptsAndRequestsBehind(FakeKoyebServer koyeb) {
            saw("DefaultsSample", koyeb);
            koyeb.seed(5);
            koyeb.requireToken("another-token");
            try (ReactiveSnapshotsClient client = client(koyeb)) {
                assertThatThrownBy(() -> client.listSnapshots().count().block(TIMEOUT))
                        .isInstanceOf(KoyebUnauthorizedException.class);
            }
            assertThat(koyeb.requestCount()).isPositive();
            koyeb.failNext(1, 503); // left scripted for the next test
        }

        @Test
        @Order(2)
        void startsFromNothing(FakeKoyebServer koyeb) {
            saw("DefaultsSample", koyeb);
            assertThat(koyeb.snapshots()).isEmpty();
            assertThat(koyeb.requestCount()).isZero();
            List<String> ids = koyeb.seed(2).stream().map(s -> s.id()).toList();
            assertThat(ids).as("ids start again").containsExactly("snap-000001", "snap-000002");
            try (ReactiveSnapshotsClient client = client(koyeb)) {
                // no fault left, and no token required: the defaults of FakeKoyebServer.start()
                assertThat(client.listSnapshots().count().block(TIMEOUT)).isEqualTo(2);
            }
            assertThat(koyeb.requestCount()).isEqualTo(1);
        }
    }

    @ExtendWith(FakeKoyebServerExtension.class)
    static class ConstructorSample {
        private final FakeKoyebServer fromConstructor;
        private FakeKoyebServer fromBeforeEach;

        ConstructorSample(FakeKoyebServer koyeb) {
            this.fromConstructor = koyeb;
        }

        @BeforeEach
        void seed(FakeKoyebServer koyeb) {
            this.fromBeforeEach = koyeb;
            koyeb.seed(4); // after the reset: the test sees these
        }

        @Test
        void one(FakeKoyebServer koyeb) {
            check(koyeb);
        }

        @Test
        void two(FakeKoyebServer koyeb) {
            check(koyeb);
        }

        private void check(FakeKoyebServer koyeb) {
            saw("ConstructorSample", koyeb);
            assertThat(fromConstructor).isSameAs(koyeb);
            assertThat(fromBeforeEach).isSameAs(koyeb);
            assertThat(koyeb.snapshots()).hasSize(4);
        }
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class RegisteredSample {
        @RegisterExtension
        static final FakeKoyebServerExtension KOYEB = FakeKoyebServerExtension.builder().token(TestSecrets.TOKEN)
                .creationDelay(Duration.ZERO).seed(42).snapshots(5).build();
        static final AtomicReference<FakeKoyebServer> AT_BEFORE_ALL = new AtomicReference<>();

        @BeforeAll
        static void before() {
            AT_BEFORE_ALL.set(KOYEB.server());
        }

        @Test
        @Order(1)
        void settingsApply(FakeKoyebServer koyeb) {
            saw("RegisteredSample", koyeb);
            assertThat(koyeb).isSameAs(KOYEB.server()).isSameAs(AT_BEFORE_ALL.get());
            assertThat(koyeb.seed()).isEqualTo(42);
            assertThat(koyeb.snapshots()).hasSize(5);
            try (ReactiveSnapshotsClient client = client(koyeb);
                    ReactiveSnapshotsClient noToken = ReactiveSnapshotsClient.builder().baseUrl(koyeb.baseUrl())
                            .build()) {
                assertThatThrownBy(() -> noToken.getSnapshot("snap-000001").block(TIMEOUT))
                        .isInstanceOf(KoyebUnauthorizedException.class);
                // no creation delay: available at once
                assertThat(client.createSnapshotAndAwait(CreateSnapshotRequest.of("vol-1", "x"), TIMEOUT)
                        .block(TIMEOUT).status()).isEqualTo(SnapshotStatus.AVAILABLE);
                client.deleteSnapshot("snap-000001").block(TIMEOUT);
            }
            koyeb.requireToken(null);
            koyeb.creationDelay(Duration.ofHours(1));
        }

        @Test
        @Order(2)
        void eachTestStartsWithTheSameSnapshotsAndSettings(FakeKoyebServer koyeb) {
            saw("RegisteredSample", koyeb);
            assertThat(koyeb.snapshots()).hasSize(5).allSatisfy(s -> assertThat(s.status()).isNotNull());
            assertThat(koyeb.snapshot("snap-000001").orElseThrow().status()).isNotEqualTo(SnapshotStatus.DELETING);
            try (ReactiveSnapshotsClient noToken = ReactiveSnapshotsClient.builder().baseUrl(koyeb.baseUrl()).build();
                    ReactiveSnapshotsClient client = client(koyeb)) {
                assertThatThrownBy(() -> noToken.getSnapshot("snap-000001").block(TIMEOUT))
                        .as("the built token is required again").isInstanceOf(KoyebUnauthorizedException.class);
                assertThat(client.createSnapshotAndAwait(CreateSnapshotRequest.of("vol-1", "y"), TIMEOUT)
                        .block(TIMEOUT).status()).as("the built delay again").isEqualTo(SnapshotStatus.AVAILABLE);
            }
        }
    }

    static class InstanceFieldSample {
        @RegisterExtension
        final FakeKoyebServerExtension koyeb = FakeKoyebServerExtension.builder().snapshots(1).build();

        @RepeatedTest(2)
        void eachRepetitionIsReset(FakeKoyebServer server) {
            saw("InstanceFieldSample", server);
            assertThat(server.snapshots()).hasSize(1);
            assertThat(server.requestCount()).isZero();
            try (ReactiveSnapshotsClient client = client(server)) {
                client.getSnapshot("snap-000001").block(TIMEOUT);
            }
        }
    }

    @ExtendWith(FakeKoyebServerExtension.class)
    static class NestedSample {
        @Test
        void outer(FakeKoyebServer koyeb) {
            saw("NestedSample", koyeb);
            koyeb.seed(1);
        }

        @Nested
        class Inner {
            @Test
            void inner(FakeKoyebServer koyeb) {
                saw("NestedSample", koyeb);
                assertThat(koyeb.snapshots()).as("reset for the nested test too").isEmpty();
            }
        }
    }

    @ExtendWith(FakeKoyebServerExtension.class)
    @Execution(ExecutionMode.CONCURRENT)
    static class ConcurrentSample {
        /** Every test waits here for the others: they do run at the same time. */
        static final CyclicBarrier TOGETHER = new CyclicBarrier(4);
        static final AtomicInteger NEXT = new AtomicInteger();

        @Test
        void one(FakeKoyebServer koyeb) throws Exception {
            seesOnlyItsOwnSnapshots(koyeb);
        }

        @Test
        void two(FakeKoyebServer koyeb) throws Exception {
            seesOnlyItsOwnSnapshots(koyeb);
        }

        @Test
        void three(FakeKoyebServer koyeb) throws Exception {
            seesOnlyItsOwnSnapshots(koyeb);
        }

        @Test
        void four(FakeKoyebServer koyeb) throws Exception {
            seesOnlyItsOwnSnapshots(koyeb);
        }

        private static void seesOnlyItsOwnSnapshots(FakeKoyebServer koyeb) throws Exception {
            saw("ConcurrentSample", koyeb);
            int count = NEXT.incrementAndGet() * 10;
            koyeb.seed(count);
            TOGETHER.await(20, TimeUnit.SECONDS);
            try (ReactiveSnapshotsClient client = client(koyeb)) {
                assertThat(client.listSnapshots().count().block(TIMEOUT)).isEqualTo(count);
            }
            TOGETHER.await(20, TimeUnit.SECONDS);
        }
    }

    static class ParallelClassesSample {
        /** The two classes wait here for each other: they do run at the same time. */
        static final CyclicBarrier TOGETHER = new CyclicBarrier(2);

        static void check(FakeKoyebServer koyeb, int count) throws Exception {
            saw("ParallelClassesSample", koyeb);
            assertThat(koyeb.snapshots()).isEmpty();
            koyeb.seed(count);
            TOGETHER.await(20, TimeUnit.SECONDS);
            try (ReactiveSnapshotsClient client = client(koyeb)) {
                assertThat(client.listSnapshots().count().block(TIMEOUT)).isEqualTo(count);
            }
            TOGETHER.await(20, TimeUnit.SECONDS);
        }

        @ExtendWith(FakeKoyebServerExtension.class)
        static class First {
            @RepeatedTest(2)
            void three(FakeKoyebServer koyeb) throws Exception {
                check(koyeb, 3);
            }
        }

        @ExtendWith(FakeKoyebServerExtension.class)
        static class Second {
            @RepeatedTest(2)
            void seven(FakeKoyebServer koyeb) throws Exception {
                check(koyeb, 7);
            }
        }
    }
}
