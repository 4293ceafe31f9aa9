package io.github.reactivekoyeb.snapshots.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * BlockHound is installed on this line and this JVM: the suite's "nothing blocks on a Reactor
 * thread" holds only if a blocking call there really fails.
 */
class BlockHoundActiveTest {

    @Test
    void aBlockingCallOnAReactorThreadFails() {
        StepVerifier.create(Mono.fromCallable(() -> {
                    Thread.sleep(1);
                    return "slept";
                }).subscribeOn(Schedulers.parallel()))
                .expectErrorSatisfies(e -> assertThat(e.getClass().getName())
                        .isEqualTo("reactor.blockhound.BlockingOperationError"))
                .verify(Duration.ofSeconds(5));
    }
}
