package io.github.reactivekoyeb.snapshots.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.KoyebTransportException;
import io.github.reactivekoyeb.snapshots.ProxySettings;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.autoconfigure.KoyebSnapshotsAutoConfiguration;
import io.github.reactivekoyeb.snapshots.autoconfigure.KoyebSnapshotsProperties;
import io.github.reactivekoyeb.snapshots.support.NotInstalled;
import io.github.reactivekoyeb.snapshots.support.TestProxy;
import io.github.reactivekoyeb.snapshots.support.TestSecrets;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.test.StepVerifier;

/**
 * Through a real proxy: every connection tunnels through it, credentials stay secret, refusals are
 * typed. {@link ProxyTest} runs it against a proxy in the JVM, {@link TinyproxyTest} against a proxy
 * process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProxyBehaviour {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final String PROXY_PASSWORD = "proxy-" + "pa55word-" + "SECRET";

    private FakeKoyebServer server;
    private TestProxy open;
    private TestProxy guarded;

    /** Starts the proxy, open to all or requiring these credentials. */
    abstract TestProxy startProxy(String username, String password) throws Exception;

    /** Why the proxy cannot run on this machine (what to install), or null when it can. */
    @Nullable String unavailable() {
        return null;
    }

    @BeforeAll
    void start() throws Exception {
        if (unavailable() != null) {
            return; // each test is then reported skipped, with the reason (an abort here would report none)
        }
        server = FakeKoyebServer.builder().token(TestSecrets.TOKEN).build();
        server.seed(250);
        open = startProxy(null, null);
        guarded = startProxy("koyeb", PROXY_PASSWORD);
    }

    @BeforeEach
    void needsTheProxy() {
        String missing = unavailable();
        NotInstalled.assumeInstalled(missing == null, String.valueOf(missing));
    }

    @AfterAll
    void stop() {
        for (AutoCloseable each : new AutoCloseable[] {open, guarded, server}) {
            if (each != null) { // a start that aborted (no proxy installed) leaves some null
                try {
                    each.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private ReactiveSnapshotsClient.Builder client() {
        return ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).token(TestSecrets.TOKEN)
                .retryPolicy(RetryPolicy.none());
    }

    @Test
    void everyConnectionGoesThroughTheProxy() throws Exception {
        long before = open.connectsTo(server.port());
        long opened = server.connectionsOpened();
        try (ReactiveSnapshotsClient client = client().proxy(ProxySettings.http("127.0.0.1", open.port()).build())
                .build()) {
            assertThat(client.listSnapshots().count().block(TIMEOUT)).isEqualTo(250);
        }
        long tunnels = open.connectsTo(server.port()) - before;
        assertThat(tunnels).isPositive().isEqualTo(server.connectionsOpened() - opened);
    }

    @Test
    void credentialsOpenAGuardedProxyAndStaySecret() throws Exception {
        ProxySettings settings = ProxySettings.http("127.0.0.1", guarded.port()).credentials("koyeb", PROXY_PASSWORD)
                .build();
        assertThat(settings.toString()).doesNotContain(PROXY_PASSWORD).doesNotContain("koyeb");
        try (ReactiveSnapshotsClient client = client().proxy(settings).build()) {
            assertThat(client.getSnapshot("snap-000001").block(TIMEOUT).id()).isEqualTo("snap-000001");
            assertThat(client.toString()).doesNotContain(PROXY_PASSWORD);
        }
        assertThat(ReactiveSnapshotsClient.builder().proxy(settings).toString()).doesNotContain(PROXY_PASSWORD);
    }

    @Test
    void aProxyThatAsksForCredentialsGivesATypedErrorNotRetried() {
        int before = server.requestCount();
        try (ReactiveSnapshotsClient client = client().retryPolicy(RetryPolicy.defaults())
                .proxy(ProxySettings.http("127.0.0.1", guarded.port()).credentials("koyeb", "wrong-password").build())
                .build()) {
            StepVerifier.create(client.getSnapshot("snap-000001"))
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(KoyebTransportException.class);
                        assertThat(((KoyebTransportException) e).reason()).isEqualTo(KoyebTransportException.Reason.PROXY);
                        assertThat(((KoyebTransportException) e).attempts()).isEqualTo(1);
                        // LittleProxy answers the refused CONNECT with 407, tinyproxy with 401
                        assertThat(e.getMessage()).containsPattern("status: 40[17]").doesNotContain("wrong-password");
                    })
                    .verify(TIMEOUT);
        }
        assertThat(server.requestCount()).isEqualTo(before);
    }

    @Test
    void aProxyThatIsDownGivesATypedConnectError() throws Exception {
        int nothing;
        try (ServerSocket socket = new ServerSocket(0)) {
            nothing = socket.getLocalPort();
        }
        try (ReactiveSnapshotsClient client = client().proxy(ProxySettings.http("127.0.0.1", nothing).build()).build()) {
            StepVerifier.create(client.getSnapshot("snap-000001"))
                    .expectErrorSatisfies(e -> assertThat(((KoyebTransportException) e).reason())
                            .isIn(KoyebTransportException.Reason.CONNECT, KoyebTransportException.Reason.PROXY))
                    .verify(TIMEOUT);
        }
    }

    @Test
    void nonProxyHostsAreReachedDirectly() throws Exception {
        long before = open.connectsTo(server.port());
        try (ReactiveSnapshotsClient client = client().proxy(ProxySettings.http("127.0.0.1", open.port())
                .nonProxyHosts("localhost|127.0.0.*").build()).build()) {
            assertThat(client.getSnapshot("snap-000002").block(TIMEOUT)).isNotNull();
        }
        assertThat(open.connectsTo(server.port())).isEqualTo(before);
    }

    @Test
    void theJvmsProxySystemPropertiesAreUsedWhenAskedFor() throws Exception {
        long before = open.connectsTo(server.port());
        System.setProperty("http.proxyHost", "127.0.0.1");
        System.setProperty("http.proxyPort", String.valueOf(open.port()));
        System.setProperty("http.nonProxyHosts", "example.invalid"); // the JDK's default would bypass 127.*
        ReactiveSnapshotsClient client;
        try {
            client = client().proxy(ProxySettings.fromSystemProperties()).build();
        } finally {
            System.clearProperty("http.proxyHost");
            System.clearProperty("http.proxyPort");
            System.clearProperty("http.nonProxyHosts");
        }
        try (client) {
            assertThat(client.getSnapshot("snap-000004").block(TIMEOUT)).isNotNull();
        }
        assertThat(open.connectsTo(server.port())).isGreaterThan(before);
    }

    @Test
    void bootPropertiesConfigureTheProxy() throws Exception {
        long before = guarded.connectsTo(server.port());
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(KoyebSnapshotsAutoConfiguration.class))
                .withPropertyValues("koyeb.snapshots.base-url=" + server.baseUrl(),
                        "koyeb.snapshots.token=" + TestSecrets.TOKEN, "koyeb.snapshots.proxy.host=127.0.0.1",
                        "koyeb.snapshots.proxy.port=" + guarded.port(), "koyeb.snapshots.proxy.username=koyeb",
                        "koyeb.snapshots.proxy.password=" + PROXY_PASSWORD)
                .run(context -> {
                    assertThat(context.getBean(ReactiveSnapshotsClient.class).getSnapshot("snap-000003").block(TIMEOUT))
                            .isNotNull();
                    assertThat(context.getBean(KoyebSnapshotsProperties.class).toString()).doesNotContain(PROXY_PASSWORD);
                });
        assertThat(guarded.connectsTo(server.port())).isGreaterThan(before);
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(KoyebSnapshotsAutoConfiguration.class))
                .withPropertyValues("koyeb.snapshots.token=" + TestSecrets.TOKEN, "koyeb.snapshots.proxy.host=proxy",
                        "koyeb.snapshots.proxy.port=70000")
                .run(context -> assertThat(context).hasFailed());
    }
}
