package io.github.reactivekoyeb.snapshots.testing;

import static io.github.reactivekoyeb.snapshots.support.Ports.listening;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.CreateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.autoconfigure.KoyebConnectionDetails;
import java.lang.reflect.Method;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestContextManager;
import org.springframework.test.context.TestExecutionListener;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link AutoConfigureFakeKoyebServer} under Spring's context cache, driven through
 * {@link TestContextManager} as the {@code SpringExtension} drives it, so that the order of test
 * classes plays no part: classes that share a context share its server, the reset listener resets
 * it before each test method, and the server closes with its context.
 */
class FakeKoyebServerContextCacheTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @SpringBootTest(classes = App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
    @AutoConfigureFakeKoyebServer
    static class CachedA {
        void test() {
        }
    }

    @SpringBootTest(classes = App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
    @AutoConfigureFakeKoyebServer
    static class CachedB {
        void test() {
        }
    }

    /** Without the annotation: a context of its own, with no server. */
    @SpringBootTest(classes = App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
    static class WithoutAnnotation {
        void test() {
        }
    }

    @SpringBootTest(classes = App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
    @AutoConfigureFakeKoyebServer
    @TestPropertySource(properties = "case=dirtied")
    @DirtiesContext
    static class Dirtied {
        void test() {
        }
    }

    @SpringBootTest(classes = {App.class, OwnServer.Config.class}, webEnvironment = SpringBootTest.WebEnvironment.NONE)
    @AutoConfigureFakeKoyebServer
    static class OwnServer {
        @TestConfiguration(proxyBeanMethods = false)
        static class Config {
            @Bean(destroyMethod = "close")
            FakeKoyebServer myFakeKoyebServer() {
                return FakeKoyebServer.builder().creationDelay(Duration.ZERO).rateLimit(1_000).build();
            }
        }

        void test() {
        }
    }

    /** No auto-configuration but the annotation's own, as in a test slice that leaves the client's out. */
    @SpringBootTest(classes = Slice.Config.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
    @AutoConfigureFakeKoyebServer
    static class Slice {
        @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
        static class Config {
        }

        void test() {
        }
    }

    /** A context that fails to load: the reset listener must not load it for a class without the annotation. */
    @SpringBootTest(classes = {App.class, Broken.Config.class}, webEnvironment = SpringBootTest.WebEnvironment.NONE)
    static class Broken {
        @TestConfiguration(proxyBeanMethods = false)
        static class Config {
            @Bean
            String broken() {
                throw new IllegalStateException("this context must not be loaded");
            }
        }
    }

    private static final class Run {
        final TestContextManager manager;
        final Object instance;
        final Method test;

        Run(Class<?> testClass) throws Exception {
            manager = new TestContextManager(testClass);
            instance = testClass.getDeclaredConstructor().newInstance();
            test = testClass.getDeclaredMethod("test");
            manager.beforeTestClass();
            manager.prepareTestInstance(instance);
        }

        ApplicationContext context() {
            return manager.getTestContext().getApplicationContext();
        }

        void runTest() throws Exception {
            manager.beforeTestMethod(instance, test);
            manager.beforeTestExecution(instance, test);
            manager.afterTestExecution(instance, test, null);
            manager.afterTestMethod(instance, test, null);
        }

        void end() throws Exception {
            manager.afterTestClass();
        }
    }

    @Test
    void classesSharingACachedContextShareItsServerResetBeforeEachTestMethod() throws Exception {
        Run a = new Run(CachedA.class);
        Run b = new Run(CachedB.class);
        assertThat(b.context()).as("one cached context").isSameAs(a.context());
        FakeKoyebServer server = a.context().getBean(FakeKoyebServer.class);
        assertThat(b.context().getBean(FakeKoyebServer.class)).isSameAs(server);

        a.runTest();
        server.seed(5);
        server.failNext(1, 500);
        try (ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).build()) {
            client.getSnapshot("snap-000001").onErrorComplete().block(TIMEOUT);
        }
        assertThat(server.requestCount()).isPositive();
        assertThat(server.faultsServed()).isEqualTo(1);
        server.failNext(2, 503); // left for b
        a.end();

        b.runTest();
        assertThat(server.snapshots()).as("reset before b's test").isEmpty();
        assertThat(server.requestCount()).isZero();
        assertThat(server.faultsServed()).isZero();
        server.seed(1);
        assertThat(b.context().getBean(ReactiveSnapshotsClient.class).getSnapshot("snap-000001").block(TIMEOUT).id())
                .as("no fault left for b").isEqualTo("snap-000001");
        b.end();
        assertThat(listening(server.port())).as("still cached, still serving").isTrue();
    }

    @Test
    void aContextWithoutTheAnnotationIsAnotherAndHasNoServer() throws Exception {
        Run a = new Run(CachedA.class);
        Run without = new Run(WithoutAnnotation.class);
        assertThat(without.context()).isNotSameAs(a.context());
        assertThat(without.context().getBeanProvider(FakeKoyebServer.class).getIfAvailable()).isNull();
        assertThat(without.context().getBeanProvider(KoyebConnectionDetails.class).getIfAvailable()).isNull();
        without.runTest();
        a.end();
        without.end();
    }

    @Test
    void theServerClosesWithItsContext() throws Exception {
        Run dirtied = new Run(Dirtied.class);
        FakeKoyebServer server = dirtied.context().getBean(FakeKoyebServer.class);
        dirtied.runTest();
        assertThat(listening(server.port())).isTrue();
        dirtied.end(); // @DirtiesContext: the context is closed and leaves the cache
        assertThat(listening(server.port())).as("closed with the context").isFalse();
    }

    @Test
    void aServerBeanOfTheTestsOwnReplacesTheDefaultAndIsResetToItsOwnSettings() throws Exception {
        Run own = new Run(OwnServer.class);
        FakeKoyebServer server = own.context().getBean(FakeKoyebServer.class);
        assertThat(own.context().getBeansOfType(FakeKoyebServer.class)).hasSize(1);
        assertThat(own.context().getBean(KoyebConnectionDetails.class).getBaseUrl()).isEqualTo(server.baseUrl());
        assertThat(own.context().getBean(KoyebConnectionDetails.class).getToken()).isNull();
        server.creationDelay(Duration.ofHours(1));
        server.seed(2);
        own.runTest();
        assertThat(server.snapshots()).isEmpty();
        ReactiveSnapshotsClient client = own.context().getBean(ReactiveSnapshotsClient.class);
        assertThat(client.createSnapshotAndAwait(CreateSnapshotRequest.of("vol-1", "n"), TIMEOUT).block(TIMEOUT)
                .status()).as("its own creation delay again: zero").isEqualTo(SnapshotStatus.AVAILABLE);
        own.end();
    }

    @Test
    void inASliceWithoutTheClientsAutoConfigurationTheAnnotationBringsTheClientToo() throws Exception {
        Run slice = new Run(Slice.class);
        FakeKoyebServer server = slice.context().getBean(FakeKoyebServer.class);
        slice.runTest();
        server.seed(2);
        assertThat(slice.context().getBean(ReactiveSnapshotsClient.class).listSnapshots().count().block(TIMEOUT))
                .isEqualTo(2);
        slice.end();
    }

    @Test
    void theListenerIsRegisteredAndLeavesOtherClassesContextsUnloaded() throws Exception {
        assertThat(SpringFactoriesLoader.loadFactoryNames(TestExecutionListener.class, getClass().getClassLoader()))
                .contains(FakeKoyebServerTestExecutionListener.class.getName());
        TestContextManager broken = new TestContextManager(Broken.class);
        assertThat(broken.getTestExecutionListeners()).hasAtLeastOneElementOfType(
                FakeKoyebServerTestExecutionListener.class);
        // the listener alone, on a class without the annotation: the (failing) context is not loaded
        new FakeKoyebServerTestExecutionListener().beforeTestMethod(broken.getTestContext());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> broken.getTestContext().getApplicationContext())
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .satisfies(e -> assertThat(e).hasStackTraceContaining("must not be loaded"));
    }
}
