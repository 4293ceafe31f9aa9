package io.github.reactivekoyeb.snapshots.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.examples.streaming.StreamingServiceApplication;
import io.github.reactivekoyeb.snapshots.support.TestSecrets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One fake server shared by Spring Boot applications that start and stop one after the other, as
 * test classes sharing a server do: it keeps serving until its own {@code close()}, although each
 * closing context disposes Reactor Netty's global resources.
 */
class FakeServerAcrossContextsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static FakeKoyebServer server;

    @BeforeAll
    static void start() {
        server = FakeKoyebServer.builder().token(TestSecrets.TOKEN).build();
        server.seed(120);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void twoBootContextsInARowAgainstOneServer() {
        for (int round = 1; round <= 2; round++) {
            try (ConfigurableApplicationContext app = StreamingServiceApplication.run("--server.port=0",
                    "--koyeb.snapshots.base-url=" + server.baseUrl(), "--koyeb.snapshots.token=" + TestSecrets.TOKEN,
                    "--spring.main.banner-mode=off")) {
                ReactiveSnapshotsClient client = app.getBean(ReactiveSnapshotsClient.class);
                assertThat(client.listSnapshots().count().block(TIMEOUT)).as("round %d", round).isEqualTo(120);
            }
            // the context is closed: a client of the test's own still reaches the server
            try (ReactiveSnapshotsClient own = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl())
                    .token(TestSecrets.TOKEN).build()) {
                assertThat(own.getSnapshot("snap-000007").block(TIMEOUT).id()).as("after round %d", round)
                        .isEqualTo("snap-000007");
            }
        }
    }
}
