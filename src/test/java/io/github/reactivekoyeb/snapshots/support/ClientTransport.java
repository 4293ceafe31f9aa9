package io.github.reactivekoyeb.snapshots.support;

import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.internal.ApplicationConnector;

/**
 * The two ways a client sends, as a test sets them up: the client's own Reactor Netty client (no
 * application {@code WebClient.Builder}: what a plain application gets), and an application's
 * {@code WebClient} on that application's connector (what a Spring Boot application gets, from
 * Boot's {@code WebClient.Builder}). A test run {@link OnEachTransport} runs once on each.
 */
public enum ClientTransport {

    /** The client's own Reactor Netty {@code HttpClient}, straight. */
    REACTOR_NETTY("reactor-netty") {
        @Override
        public ReactiveSnapshotsClient.Builder apply(ReactiveSnapshotsClient.Builder builder) {
            return builder;
        }
    },

    /** An application's {@code WebClient}, on its own connector (as Spring Boot's builder has it). */
    WEBCLIENT("webclient") {
        @Override
        public ReactiveSnapshotsClient.Builder apply(ReactiveSnapshotsClient.Builder builder) {
            return builder.webClientBuilder(ApplicationConnector.newBuilder());
        }
    };

    private final String label;

    ClientTransport(String label) {
        this.label = label;
    }

    /**
     * Sets the builder up to send this way.
     *
     * @param builder a client's builder
     * @return the same builder
     */
    public abstract ReactiveSnapshotsClient.Builder apply(ReactiveSnapshotsClient.Builder builder);

    /**
     * The name a test's display name carries.
     *
     * @return e.g. {@code reactor-netty}
     */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }

    /**
     * Each case of a parameterized test on each transport: the transport first, then the case's
     * own arguments (a name pattern {@code "[{0}] {1}"} puts both in the test's name).
     *
     * @param cases the cases
     * @return every case on every transport
     */
    public static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> onEach(
            java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases) {
        java.util.List<org.junit.jupiter.params.provider.Arguments> all = cases.toList();
        return java.util.Arrays.stream(values()).flatMap(transport -> all.stream().map(arguments -> {
            Object[] own = arguments.get();
            Object[] with = new Object[own.length + 1];
            with[0] = transport;
            System.arraycopy(own, 0, with, 1, own.length);
            return org.junit.jupiter.params.provider.Arguments.of(with);
        }));
    }

    /** A test class whose clients send the way each invocation of an {@link OnEachTransport} test says. */
    public interface Aware {
        /**
         * Called before the test's {@code @BeforeEach} methods.
         *
         * @param transport how this invocation's clients send
         */
        void useTransport(ClientTransport transport);
    }
}
