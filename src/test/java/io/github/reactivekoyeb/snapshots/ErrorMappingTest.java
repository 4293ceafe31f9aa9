package io.github.reactivekoyeb.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.testing.FakeResponse;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Every HTTP error status becomes a typed KoyebApiException with the body's details. */
class ErrorMappingTest extends FakeServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static KoyebApiException apiErrorOf(Mono<?> call) {
        Throwable error = errorOf(call);
        assertThat(error).isInstanceOf(KoyebApiException.class);
        return (KoyebApiException) error;
    }

    @ParameterizedTest
    @CsvSource({
            "400, io.github.reactivekoyeb.snapshots.KoyebValidationException",
            "401, io.github.reactivekoyeb.snapshots.KoyebUnauthorizedException",
            "403, io.github.reactivekoyeb.snapshots.KoyebForbiddenException",
            "404, io.github.reactivekoyeb.snapshots.KoyebNotFoundException",
            "429, io.github.reactivekoyeb.snapshots.KoyebRateLimitException",
            "503, io.github.reactivekoyeb.snapshots.KoyebServiceUnavailableException",
            "500, io.github.reactivekoyeb.snapshots.KoyebServerException",
            "502, io.github.reactivekoyeb.snapshots.KoyebServerException",
            "504, io.github.reactivekoyeb.snapshots.KoyebServerException",
            "599, io.github.reactivekoyeb.snapshots.KoyebServerException",
            "409, io.github.reactivekoyeb.snapshots.KoyebApiException",
            "418, io.github.reactivekoyeb.snapshots.KoyebApiException",
            "302, io.github.reactivekoyeb.snapshots.KoyebApiException"})
    void eachStatusHasItsType(int status, String typeName) throws ClassNotFoundException {
        Class<?> type = Class.forName(typeName);
        server.enqueue(FakeResponse.status(status).withBody("{\"status\":" + status
                + ",\"code\":\"some_code\",\"message\":\"some message\"}", "application/json"));
        KoyebApiException e = apiErrorOf(noRetry().getSnapshot("abc"));
        assertThat(e.getClass()).isEqualTo(type);
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.errorCode()).isEqualTo("some_code");
        assertThat(e.errorMessage()).isEqualTo("some message");
        assertThat(e.method()).isEqualTo("GET");
        assertThat(e.path()).isEqualTo("/v1/snapshots/abc");
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e.getMessage()).contains("GET /v1/snapshots/abc").contains(String.valueOf(status));
    }

    @Test
    void validationErrorCarriesItsFields() {
        KoyebApiException e = apiErrorOf(noRetry().createSnapshot(new CreateSnapshotRequest(null, "x", null)));
        assertThat(e).isInstanceOf(KoyebValidationException.class);
        KoyebValidationException v = (KoyebValidationException) e;
        assertThat(v.fields()).extracting(ErrorField::field).containsExactly("parent_volume_id");
        assertThat(v.fields().get(0).description()).isNotBlank();
        assertThat(v.errorCode()).isEqualTo("invalid_argument");
        assertThat(v.method()).isEqualTo("POST");
        assertThat(v.path()).isEqualTo("/v1/snapshots");
    }

    @Test
    void googleRpcStatusGivesItsNumericCodeAsAString() {
        server.enqueue(FakeResponse.json(409, "{\"code\":6,\"message\":\"already exists\",\"details\":[{\"@type\":\"x\"}]}"));
        KoyebApiException e = apiErrorOf(noRetry().getSnapshot("abc"));
        assertThat(e.errorCode()).isEqualTo("6");
        assertThat(e.errorMessage()).isEqualTo("already exists");
    }

    @Test
    void aNonJsonBodyStillGivesTheTypedExceptionWithASnippet() {
        server.enqueue(FakeResponse.status(503).withBody("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"));
        KoyebApiException e = apiErrorOf(noRetry().getSnapshot("abc"));
        assertThat(e).isInstanceOf(KoyebServiceUnavailableException.class);
        assertThat(e.errorCode()).isNull();
        assertThat(e.errorMessage()).isNull();
        assertThat(e.bodySnippet()).isEqualTo("<html><body><h1>502 Bad Gateway</h1></body></html>");
    }

    @Test
    void anEmptyBodyGivesTheTypedExceptionWithAnEmptySnippet() {
        server.enqueue(FakeResponse.status(404).withoutBody());
        KoyebApiException e = apiErrorOf(noRetry().getSnapshot("abc"));
        assertThat(e).isInstanceOf(KoyebNotFoundException.class);
        assertThat(e.bodySnippet()).isEmpty();
        assertThat(e.errorCode()).isNull();
    }

    @Test
    void theSnippetIsCappedAndFreeOfControlCharacters() {
        String body = "line1\r\nline2\u0000\u001b[31m" + "x".repeat(5000);
        server.enqueue(FakeResponse.status(500).withBody(body, "text/plain"));
        KoyebApiException e = apiErrorOf(noRetry().getSnapshot("abc"));
        assertThat(e.bodySnippet()).hasSize(KoyebApiException.MAX_SNIPPET_LENGTH).startsWith("line1line2[31mxxx");
        assertThat(e.bodySnippet().chars()).noneMatch(Character::isISOControl);
    }

    @Test
    void errorTextFromTheServerCannotForgeLogLines() {
        server.enqueue(FakeResponse.json(404, "{\"code\":\"nf\\r\\n\",\"message\":\"gone\\nFAKE LOG LINE\"}"));
        KoyebApiException e = apiErrorOf(noRetry().getSnapshot("abc"));
        assertThat(e.errorMessage()).isEqualTo("goneFAKE LOG LINE");
        assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r");
    }

    @Test
    void listErrorsNameThePathWithoutTheQuery() {
        server.failNext(1, 403);
        KoyebApiException e = (KoyebApiException) errorOf(
                noRetry().listSnapshots(ListSnapshotsRequest.builder().region("fra").build()));
        assertThat(e).isInstanceOf(KoyebForbiddenException.class);
        assertThat(e.path()).isEqualTo("/v1/snapshots");
        assertThat(e.getMessage()).doesNotContain("region").doesNotContain("?");
    }

    @Test
    void wrongTokenGivesUnauthorized() {
        ReactiveSnapshotsClient wrong = track(clientBuilder().token("wrong-token-for-401").build());
        KoyebApiException e = apiErrorOf(wrong.getSnapshot("abc"));
        assertThat(e).isInstanceOf(KoyebUnauthorizedException.class);
        assertThat(e.errorCode()).isEqualTo("unauthenticated");
    }

    @Test
    void everyOperationMapsErrors() {
        Function<ReactiveSnapshotsClient, Mono<?>>[] calls = operations();
        for (Function<ReactiveSnapshotsClient, Mono<?>> call : calls) {
            server.failNext(1, 403);
            assertThat(apiErrorOf(call.apply(noRetry()))).isInstanceOf(KoyebForbiddenException.class);
        }
    }

    @SuppressWarnings("unchecked")
    static Function<ReactiveSnapshotsClient, Mono<?>>[] operations() {
        return new Function[] {
            (Function<ReactiveSnapshotsClient, Mono<?>>) c -> c.getSnapshot("abc"),
            (Function<ReactiveSnapshotsClient, Mono<?>>) c -> c.createSnapshot(CreateSnapshotRequest.of("v", "n")),
            (Function<ReactiveSnapshotsClient, Mono<?>>) c -> c.updateSnapshot("abc", new UpdateSnapshotRequest("n")),
            (Function<ReactiveSnapshotsClient, Mono<?>>) c -> c.deleteSnapshot("abc"),
            (Function<ReactiveSnapshotsClient, Mono<?>>) c -> c.listSnapshots().then(),
            (Function<ReactiveSnapshotsClient, Mono<?>>) c -> c.listSnapshotPages(ListSnapshotsRequest.all()).then()
        };
    }
}
