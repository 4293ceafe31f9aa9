package it.bootapp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's first test with the JUnit extension, in an application's build. */
@ExtendWith(FakeKoyebServerExtension.class)
class FakeServerExtensionTest {

    @Test
    void lists(FakeKoyebServer koyeb) {
        koyeb.seed(3);
        try (var client = ReactiveSnapshotsClient.builder().baseUrl(koyeb.baseUrl()).token("t").build()) {
            assertThat(client.listSnapshots().count().block(Duration.ofSeconds(10))).isEqualTo(3);
        }
    }
}
