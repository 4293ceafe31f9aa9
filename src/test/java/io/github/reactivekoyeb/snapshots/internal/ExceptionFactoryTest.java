package io.github.reactivekoyeb.snapshots.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.KoyebApiException;
import io.github.reactivekoyeb.snapshots.KoyebErrorDetails;
import io.github.reactivekoyeb.snapshots.KoyebServerException;
import io.github.reactivekoyeb.snapshots.KoyebServiceUnavailableException;
import io.github.reactivekoyeb.snapshots.KoyebTransportException;
import io.github.reactivekoyeb.snapshots.KoyebValidationException;
import io.github.reactivekoyeb.snapshots.KoyebTransportException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.netty.channel.AbortedException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/** The one failure factory: exact status, then class, then the base type; transport failures by cause. */
class ExceptionFactoryTest {

    private static final ApiRequest GET = new ApiRequest(HttpMethod.GET, "/v1/snapshots/{id}", "/v1/snapshots/a", null,
            null, true);
    private final ExceptionFactory factory = new ExceptionFactory(Redactor.forToken("secret-token-123"));

    @Test
    void statusesMapExactThenByClassThenToTheBaseType() {
        assertThat(factory.forStatus(400, GET, "{\"code\":\"bad\",\"fields\":[{\"field\":\"f\",\"description\":\"d\"}]}",
                null, 1)).isInstanceOf(KoyebValidationException.class)
                .satisfies(e -> assertThat(((KoyebValidationException) e).fields()).hasSize(1));
        assertThat(factory.forStatus(503, GET, "", Duration.ofSeconds(2), 2)).isExactlyInstanceOf(
                KoyebServiceUnavailableException.class).satisfies(e -> {
                    assertThat(e.attempts()).isEqualTo(2);
                    assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(2));
                });
        assertThat(factory.forStatus(502, GET, "", null, 1)).isExactlyInstanceOf(KoyebServerException.class);
        assertThat(factory.forStatus(409, GET, "", null, 1)).isExactlyInstanceOf(KoyebApiException.class);
    }

    @Test
    void theTokenIsMaskedInWhatComesFromTheReply() {
        KoyebApiException e = factory.forStatus(401, GET, "{\"message\":\"bad token secret-token-123\"}", null, 1);
        assertThat(e.errorMessage()).isEqualTo("bad token [REDACTED]");
        assertThat(e.bodySnippet()).doesNotContain("secret-token-123");
        assertThat(e.getMessage()).doesNotContain("secret-token-123");
    }

    @Test
    void transportFailuresAreClassifiedByTheirCauses() {
        assertThat(factory.forTransportFailure(new ExchangeCut.ResponseTimeout(Duration.ofMillis(250)), GET, 1,
                Duration.ofMillis(250)).reason()).isEqualTo(KoyebTransportException.Reason.RESPONSE_TIMEOUT);
        assertThat(factory.forTransportFailure(new RuntimeException(new ConnectException("refused")), GET, 1,
                Duration.ofSeconds(1)).reason()).isEqualTo(KoyebTransportException.Reason.CONNECT);
        assertThat(factory.forTransportFailure(new RuntimeException("reset"), GET, 3, Duration.ofSeconds(1)))
                .satisfies(e -> {
                    assertThat(e.reason()).isEqualTo(KoyebTransportException.Reason.CONNECTION_CLOSED);
                    assertThat(e.attempts()).isEqualTo(3);
                });
        assertThat(factory.forUnreadableReply(new MalformedReplyException("not json"), 200, GET, 1, 1024).reason())
                .isEqualTo(KoyebTransportException.Reason.MALFORMED_RESPONSE);
    }

    /**
     * What a transport meets before a reply, raw as Reactor Netty's own transport sees it, as that
     * transport signals it, and as Spring's {@code WebClient} wraps it: the same reason and detail
     * each way, and a transport failure each way.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("failuresBeforeAReply")
    void aFailureBeforeTheReplyHasOneReasonWhicheverTransportMetIt(String name, Throwable raw, Reason expected) {
        Duration timeout = Duration.ofSeconds(1);
        WebClientRequestException wrapped = new WebClientRequestException(raw, HttpMethod.GET,
                URI.create("http://127.0.0.1/v1/snapshots/a"), new HttpHeaders());
        for (Throwable signalled : List.of(raw, new Transport.TransportFailure(raw), wrapped)) {
            if (signalled != raw || !(raw instanceof IllegalStateException)) {
                // raw, only what a connection or a pool raises; anything else only as a transport signals it
                assertThat(ExceptionFactory.isTransportFailure(signalled)).as("%s is a transport failure", signalled)
                        .isTrue();
            }
            KoyebTransportException e = factory.forTransportFailure(signalled, GET, 1, timeout);
            assertThat(e.reason()).as("the reason of %s", signalled).isEqualTo(expected);
            assertThat(e.detail()).isEqualTo(factory.forTransportFailure(raw, GET, 1, timeout).detail());
            assertThat(e.getCause()).isSameAs(raw);
        }
    }

    static Stream<Arguments> failuresBeforeAReply() {
        return Stream.of(
                Arguments.of("connection refused", new ConnectException("Connection refused"), Reason.CONNECT),
                Arguments.of("the client's queue for a connection is full",
                        new RequestGate.Refused("the queue for a connection is full"), Reason.CONNECT),
                // Reactor Netty's pool (shaded reactor-pool) with no room in its wait queue, or no
                // connection within its acquire timeout: nothing was sent, not a response timeout
                Arguments.of("pool pending-acquire limit", new PoolAcquirePendingLimitException(1), Reason.CONNECT),
                Arguments.of("pool acquire timeout", new PoolAcquireTimeoutException(Duration.ofMillis(5)), Reason.CONNECT),
                // a pooled connection closed as it was taken: nothing was written
                Arguments.of("closed before send", AbortedException.beforeSend(), Reason.CONNECT),
                Arguments.of("aborted", new AbortedException("Connection reset by peer"), Reason.CONNECTION_CLOSED),
                Arguments.of("closed before the response",
                        new IOException("Connection prematurely closed BEFORE response"), Reason.CONNECTION_CLOSED),
                Arguments.of("the response timeout", new ExchangeCut.ResponseTimeout(Duration.ofSeconds(1)),
                        Reason.RESPONSE_TIMEOUT),
                Arguments.of("something else the connector threw", new IllegalStateException("odd"),
                        Reason.CONNECTION_CLOSED));
    }

    @Test
    void aFailureThatIsNotTheTransportsIsNotMadeOne() {
        assertThat(ExceptionFactory.isTransportFailure(new IllegalStateException("a listener's bug"))).isFalse();
    }

    @Test
    void onlyTheClientsOwnTimerIsAResponseTimeout() {
        assertThat(factory.forTransportFailure(new TimeoutException("someone else's"), GET, 1, Duration.ofSeconds(1))
                .reason()).isEqualTo(Reason.CONNECTION_CLOSED);
    }

    @Test
    void theRetryBudgetFlagIsSetWhenTheExceptionIsMadeNotLater() {
        KoyebApiException refused = factory.forStatus(503, GET, "", null, 2);
        Throwable flagged = ExceptionFactory.withRetryBudgetExhausted(refused);
        assertThat(flagged).isExactlyInstanceOf(KoyebServiceUnavailableException.class).isNotSameAs(refused);
        assertThat(((KoyebServiceUnavailableException) flagged).retryBudgetExhausted()).isTrue();
        assertThat(flagged.getMessage()).endsWith("not retried: the client's retry budget is exhausted");
        assertThat(refused.retryBudgetExhausted()).as("the original is never changed").isFalse();

        KoyebTransportException broken = new KoyebTransportException(KoyebTransportException.Reason.CONNECT, "refused",
                KoyebErrorDetails.builder("GET", "/v1/snapshots/a").build(), null);
        assertThat(ExceptionFactory.withRetryBudgetExhausted(broken)).isInstanceOfSatisfying(
                KoyebTransportException.class, e -> {
                    assertThat(e.retryBudgetExhausted()).isTrue();
                    assertThat(e.reason()).isEqualTo(KoyebTransportException.Reason.CONNECT);
                    assertThat(e.detail()).isEqualTo("refused");
                });
    }
}
