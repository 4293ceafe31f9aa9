package io.github.reactivekoyeb.snapshots.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivekoyeb.snapshots.KoyebUnauthorizedException;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.autoconfigure.KoyebConnectionDetails;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/**
 * {@link AutoConfigureFakeKoyebServer} on a {@code @SpringBootTest}, as a user writes it: no
 * property points the client anywhere, and each test starts from a reset server.
 */
@SpringBootTest(classes = AutoConfigureFakeKoyebServerTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE)
@AutoConfigureFakeKoyebServer
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoConfigureFakeKoyebServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** An application with nothing but Boot's auto-configuration. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @Autowired
    ReactiveSnapshotsClient client;
    @Autowired
    FakeKoyebServer koyeb;
    @Autowired
    KoyebConnectionDetails details;
    @Autowired
    Environment environment;

    @BeforeEach
    void seed() {
        // runs after the reset: every test starts with exactly these
        koyeb.seed(3);
    }

    @Test
    @Order(1)
    void theClientReachesTheServerWithItsTokenAndNoProperties() {
        assertThat(environment.getProperty("koyeb.snapshots.base-url")).isNull();
        assertThat(environment.getProperty("koyeb.snapshots.token")).isNull();
        assertThat(details.getBaseUrl()).isEqualTo(koyeb.baseUrl());
        assertThat(details.getToken()).startsWith("fake-koyeb-");
        assertThat(details.toString()).doesNotContain(details.getToken());

        koyeb.seed(4);
        assertThat(client.listSnapshots().count().block(TIMEOUT)).isEqualTo(7);
        assertThat(koyeb.lastRequest().header("Authorization")).isEqualTo("Bearer " + details.getToken());
        try (ReactiveSnapshotsClient noToken = ReactiveSnapshotsClient.builder().baseUrl(koyeb.baseUrl()).build()) {
            assertThatThrownBy(() -> noToken.getSnapshot("snap-000001").block(TIMEOUT))
                    .as("the server requires the token").isInstanceOf(KoyebUnauthorizedException.class);
        }
        // left behind for the next test, which must not see any of it
        koyeb.failNext(5, 401);
        koyeb.latency(Duration.ofSeconds(30));
    }

    @Test
    @Order(2)
    void eachTestStartsFromAResetServer() {
        assertThat(koyeb.snapshots()).extracting(s -> s.id()).containsExactly("snap-000001", "snap-000002",
                "snap-000003");
        assertThat(koyeb.requestCount()).isZero();
        assertThat(client.listSnapshots().count().block(TIMEOUT)).isEqualTo(3);
        assertThat(koyeb.requests()).hasSize(1);
    }
}
