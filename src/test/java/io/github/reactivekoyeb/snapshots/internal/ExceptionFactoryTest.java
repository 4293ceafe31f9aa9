package io.github.reactivekoyeb.snapshots.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.KoyebApiException;
import io.github.reactivekoyeb.snapshots.KoyebErrorDetails;
import io.github.reactivekoyeb.snapshots.KoyebServerException;
import io.github.reactivekoyeb.snapshots.KoyebServiceUnavailableException;
import io.github.reactivekoyeb.snapshots.KoyebTransportException;
import io.github.reactivekoyeb.snapshots.KoyebValidationException;
import java.net.ConnectException;
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
        assertThat(factory.forTransportFailure(new TimeoutException(), GET, 1, Duration.ofMillis(250)).reason())
                .isEqualTo(KoyebTransportException.Reason.RESPONSE_TIMEOUT);
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
