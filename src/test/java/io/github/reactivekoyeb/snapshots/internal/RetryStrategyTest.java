package io.github.reactivekoyeb.snapshots.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.KoyebErrorDetails;
import io.github.reactivekoyeb.snapshots.KoyebNotFoundException;
import io.github.reactivekoyeb.snapshots.KoyebRateLimitException;
import io.github.reactivekoyeb.snapshots.KoyebServerException;
import io.github.reactivekoyeb.snapshots.KoyebServiceUnavailableException;
import io.github.reactivekoyeb.snapshots.KoyebTransportException;
import io.github.reactivekoyeb.snapshots.KoyebTransportException.Reason;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.RetryReason;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class RetryStrategyTest {

    private final RetryPolicy policy = RetryPolicy.builder().maxRetries(5).initialBackoff(Duration.ofMillis(100))
            .maxBackoff(Duration.ofSeconds(1)).build();

    @Test
    void backoffDoublesWithJitterInTheUpperHalfAndIsCapped() {
        assertThat(RetryStrategy.delayBeforeRetry(policy, 0, null, () -> 0.0)).isEqualTo(Duration.ofMillis(50));
        assertThat(RetryStrategy.delayBeforeRetry(policy, 0, null, () -> 0.999999)).isBetween(
                Duration.ofMillis(99), Duration.ofMillis(100));
        assertThat(RetryStrategy.delayBeforeRetry(policy, 1, null, () -> 0.0)).isEqualTo(Duration.ofMillis(100));
        assertThat(RetryStrategy.delayBeforeRetry(policy, 2, null, () -> 0.0)).isEqualTo(Duration.ofMillis(200));
        assertThat(RetryStrategy.delayBeforeRetry(policy, 3, null, () -> 0.5)).isEqualTo(Duration.ofMillis(600));
        assertThat(RetryStrategy.delayBeforeRetry(policy, 4, null, () -> 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(RetryStrategy.delayBeforeRetry(policy, 60, null, () -> 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(RetryStrategy.delayBeforeRetry(policy, Long.MAX_VALUE, null, () -> 1.0)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void retryAfterReplacesTheBackoffAndIsCappedByMaxBackoff() {
        assertThat(RetryStrategy.delayBeforeRetry(policy, 0, Duration.ofMillis(700), () -> 0.0))
                .isEqualTo(Duration.ofMillis(700));
        assertThat(RetryStrategy.delayBeforeRetry(policy, 0, Duration.ofSeconds(30), () -> 0.0))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryStrategy.delayBeforeRetry(policy, 3, Duration.ZERO, () -> 0.9)).isEqualTo(Duration.ZERO);
    }

    @Test
    void whatIsRetriedForWhichRequests() {
        assertThat(RetryStrategy.reasonToRetry(api503(), false)).isEqualTo(RetryReason.SERVICE_UNAVAILABLE);
        assertThat(RetryStrategy.reasonToRetry(new KoyebRateLimitException(KoyebErrorDetails.builder("POST", "/v1/snapshots").statusCode(429).build()), false)).isEqualTo(RetryReason.RATE_LIMITED);
        assertThat(RetryStrategy.reasonToRetry(transport(Reason.CONNECT), false)).isEqualTo(RetryReason.CONNECT);
        assertThat(RetryStrategy.reasonToRetry(transport(Reason.CONNECTION_CLOSED), true))
                .isEqualTo(RetryReason.CONNECTION_CLOSED);
        assertThat(RetryStrategy.reasonToRetry(transport(Reason.RESPONSE_TIMEOUT), true))
                .isEqualTo(RetryReason.TIMEOUT);
        // create and update are not resendable
        assertThat(RetryStrategy.reasonToRetry(transport(Reason.CONNECTION_CLOSED), false)).isNull();
        assertThat(RetryStrategy.reasonToRetry(transport(Reason.RESPONSE_TIMEOUT), false)).isNull();
        // never retried
        assertThat(RetryStrategy.reasonToRetry(transport(Reason.MALFORMED_RESPONSE), true)).isNull();
        assertThat(RetryStrategy.reasonToRetry(transport(Reason.RESPONSE_TOO_LARGE), true)).isNull();
        assertThat(RetryStrategy.reasonToRetry(new KoyebServerException(KoyebErrorDetails.builder("GET", "/").statusCode(500).build()), true))
                .isNull();
        assertThat(RetryStrategy.reasonToRetry(new KoyebNotFoundException(KoyebErrorDetails.builder("GET", "/").statusCode(404).build()), true))
                .isNull();
        assertThat(RetryStrategy.reasonToRetry(new IllegalStateException(), true)).isNull();
    }

    @Test
    void retriesRunOnVirtualTimeAndEmitTheLastFailureUnwrapped() {
        ApiRequest request = new ApiRequest(HttpMethod.GET, "/v1/snapshots/{id}", "/v1/snapshots/a", null, null, true);
        RetryPolicy three = RetryPolicy.builder().maxRetries(3).initialBackoff(Duration.ofSeconds(10))
                .maxBackoff(Duration.ofSeconds(10)).build();
        int[] tries = new int[1];
        StepVerifier.withVirtualTime(() -> new RetryStrategy(three, request, RetryStrategy.Listener.NONE, () -> 0.0)
                        .retrying(Mono.defer(() -> {
                            tries[0]++;
                            return Mono.<String>error(api503());
                        })))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(14))
                .then(() -> assertThat(tries[0]).isEqualTo(3))
                .thenAwait(Duration.ofSeconds(5))
                .expectError(KoyebServiceUnavailableException.class)
                .verify(Duration.ofSeconds(5));
        assertThat(tries[0]).isEqualTo(4);
    }

    private static KoyebServiceUnavailableException api503() {
        return new KoyebServiceUnavailableException(KoyebErrorDetails.builder("GET", "/v1/snapshots/a").statusCode(503).build());
    }

    private static KoyebTransportException transport(Reason reason) {
        return new KoyebTransportException(reason, "x", KoyebErrorDetails.builder("GET", "/v1/snapshots/a").build(), null);
    }
}
