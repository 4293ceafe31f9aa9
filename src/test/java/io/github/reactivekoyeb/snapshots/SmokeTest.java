package io.github.reactivekoyeb.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class SmokeTest extends FakeServerTest {
    @Test
    void listsAndGets() {
        server.seed(250);
        ReactiveSnapshotsClient client = client();
        StepVerifier.create(client.listSnapshots()).expectNextCount(250).verifyComplete();
        assertThat(server.requestCount()).isEqualTo(3);
        StepVerifier.create(client.getSnapshot("snap-000002"))
                .assertNext(s -> assertThat(s.size()).isEqualTo(2L * 1_073_741_824L)).verifyComplete();
        System.out.println(server.requests());
    }
}
