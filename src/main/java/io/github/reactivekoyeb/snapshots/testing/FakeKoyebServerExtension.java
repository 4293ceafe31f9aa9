package io.github.reactivekoyeb.snapshots.testing;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A JUnit Jupiter extension that runs a {@link FakeKoyebServer} for the tests of a class and
 * injects it: one server per test class, started before the first test and closed after the
 * last, and {@linkplain FakeKoyebServer#reset() reset} before each test, so that no test sees the
 * snapshots, scripts or recorded requests of another.
 *
 * <pre>{@code
 * @ExtendWith(FakeKoyebServerExtension.class)
 * class MyServiceTest {
 *     @Test
 *     void lists(FakeKoyebServer koyeb) {
 *         koyeb.seed(3);
 *         var client = ReactiveSnapshotsClient.builder().baseUrl(koyeb.baseUrl()).token("t").build();
 *         StepVerifier.create(client.listSnapshots()).expectNextCount(3).verifyComplete();
 *     }
 * }
 * }</pre>
 *
 * <p>{@code @ExtendWith} gives a server with the defaults of {@link FakeKoyebServer#start()};
 * {@code @RegisterExtension} on a {@code static} field takes settings:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FakeKoyebServerExtension koyeb = FakeKoyebServerExtension.builder()
 *         .token("test-token").creationDelay(Duration.ZERO).snapshots(250).build();
 * }</pre>
 *
 * <p>A parameter of type {@link FakeKoyebServer} is injected into test, lifecycle and
 * {@code @BeforeEach} methods and into test class constructors. {@code @Nested} classes share the
 * server of their enclosing class. On a non-static field, the server is started before the first
 * test that needs it and still closed with the class.
 *
 * <p><b>Parallel execution.</b> Classes that run in parallel each have their own server. When the
 * tests of one class run concurrently ({@code ExecutionMode.CONCURRENT}), a reset would wipe what
 * another test is doing: then each such test gets a server of its own, started before it and
 * closed after it; take it as a parameter (not from {@link #server()}) there.
 */
public final class FakeKoyebServerExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(FakeKoyebServerExtension.class);
    // distinct keys: a store lookup also searches the enclosing contexts' stores
    private static final String CLASS_KEY = "class server";
    private static final String TEST_KEY = "test server";

    private final Builder settings;
    private volatile @Nullable FakeKoyebServer classServer;

    /** An extension with the defaults of {@link FakeKoyebServer#start()}: what {@code @ExtendWith} uses. */
    public FakeKoyebServerExtension() {
        this(new Builder());
    }

    private FakeKoyebServerExtension(Builder builder) {
        this.settings = builder.copyTo(new Builder());
        this.settings.snapshots = builder.snapshots;
    }

    /**
     * A builder for an extension with settings, for {@code @RegisterExtension}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The server of the test class that registered this extension, for a {@code static}
     * {@code @RegisterExtension} field (in {@code @BeforeAll} methods, say).
     *
     * @return the running server
     * @throws IllegalStateException before the class's tests start
     */
    public FakeKoyebServer server() {
        FakeKoyebServer server = classServer;
        if (server == null) {
            throw new IllegalStateException("no FakeKoyebServer is running: server() is available from the"
                    + " test class's @BeforeAll methods on; for concurrent tests, take it as a parameter");
        }
        return server;
    }

    /** Starts the class's server (or finds the enclosing class's, for a {@code @Nested} class). */
    @Override
    public void beforeAll(ExtensionContext context) {
        classServer(context);
    }

    /** Resets the test's server and seeds it, before the {@code @BeforeEach} methods run. */
    @Override
    public void beforeEach(ExtensionContext context) {
        FakeKoyebServer server = serverFor(context);
        server.reset();
        if (settings.snapshots > 0) {
            server.seed(settings.snapshots);
        }
    }

    /** Supports parameters of type {@link FakeKoyebServer}. */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == FakeKoyebServer.class;
    }

    /** The server of the test, or of the class for a constructor or {@code @BeforeAll} method. */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return serverFor(context);
    }

    /** Constructors are resolved in the test's context, so that a concurrent test gets its own server. */
    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    private FakeKoyebServer serverFor(ExtensionContext context) {
        if (context.getTestMethod().isPresent() && context.getExecutionMode() == ExecutionMode.CONCURRENT) {
            // a server of the test's own, closed with the test's context (each invocation of a test
            // template has one)
            return running(context, TEST_KEY);
        }
        return classServer(context);
    }

    private FakeKoyebServer classServer(ExtensionContext context) {
        ExtensionContext owner = context;
        while (owner.getTestMethod().isPresent() && owner.getParent().isPresent()) {
            owner = owner.getParent().get();
        }
        FakeKoyebServer server = running(owner, CLASS_KEY);
        classServer = server;
        return server;
    }

    /** The server under this key in this context (or an enclosing one), started now if there is none. */
    private FakeKoyebServer running(ExtensionContext context, String key) {
        RunningServer running = context.getStore(NAMESPACE).getOrComputeIfAbsent(key, k -> start(),
                RunningServer.class);
        return Objects.requireNonNull(running, "running").server;
    }

    private RunningServer start() {
        return new RunningServer(settings.copyTo(FakeKoyebServer.builder()).build());
    }

    /** A server in a JUnit store, closed with the context that holds it (on every JUnit line). */
    @SuppressWarnings("deprecation") // CloseableResource: what JUnit 5.12 closes; 5.13 and 6 close AutoCloseable too
    private static final class RunningServer implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final FakeKoyebServer server;
        private final AtomicBoolean closed = new AtomicBoolean();

        RunningServer(FakeKoyebServer server) {
            this.server = server;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                server.close();
            }
        }
    }

    /**
     * Settings of the extension's servers: every setting of {@link FakeKoyebServer.Builder}, and
     * the snapshots each test starts with. Every setter returns this builder. Not thread-safe.
     */
    public static final class Builder extends FakeServerSettings<Builder> {

        int snapshots;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Before each test, after the reset, the server holds this many generated snapshots
         * ({@link FakeKoyebServer#seed(int)}: {@code snap-000001}...); default 0.
         *
         * @param count 0 or more
         * @return this builder
         * @throws IllegalArgumentException if it is negative
         */
        public Builder snapshots(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("snapshots must be 0 or more, but was " + count);
            }
            this.snapshots = count;
            return this;
        }

        /**
         * The extension, for a {@code @RegisterExtension} field; servers start with the tests.
         *
         * @return the extension
         */
        public FakeKoyebServerExtension build() {
            return new FakeKoyebServerExtension(this);
        }
    }
}
