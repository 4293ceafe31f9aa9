package io.github.reactivekoyeb.snapshots;

import io.github.reactivekoyeb.snapshots.support.OnEachTransport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivekoyeb.snapshots.testing.FakeResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The token never appears in a message, a cause, a snippet or a toString(). */
class TokenSecrecyTest extends FakeServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static String everythingAbout(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        StringBuilder all = new StringBuilder(out.toString());
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append(t.getMessage()).append(t.getLocalizedMessage());
        }
        if (e instanceof KoyebApiException api) {
            all.append(api.bodySnippet()).append(api.errorMessage()).append(api.errorCode());
            if (api instanceof KoyebValidationException v) {
                all.append(v.fields());
            }
        }
        return all.toString();
    }

    @OnEachTransport
    void anEchoedTokenIsMaskedInSnippetMessageAndFields() {
        String echo = "{\"status\":400,\"code\":\"bad " + TOKEN + "\",\"message\":\"token " + TOKEN + " is odd\","
                + "\"fields\":[{\"field\":\"" + TOKEN + "\",\"description\":\"Bearer " + TOKEN + "\"}]}";
        server.enqueue(FakeResponse.json(400, echo));
        Throwable e = errorOf(noRetry().getSnapshot("abc"));
        assertThat(e).isInstanceOf(KoyebValidationException.class);
        assertThat(everythingAbout(e)).doesNotContain(TOKEN);
        assertThat(((KoyebApiException) e).bodySnippet()).contains("[REDACTED]");
        assertThat(((KoyebApiException) e).errorMessage()).isEqualTo("token [REDACTED] is odd");
    }

    @OnEachTransport
    void anEchoedTokenSplitByControlCharactersIsMaskedToo() {
        String half = TOKEN.substring(0, 10);
        String rest = TOKEN.substring(10);
        server.enqueue(FakeResponse.status(503).withBody(half + "\r\n" + rest, "text/plain"));
        Throwable e = errorOf(noRetry().getSnapshot("abc"));
        assertThat(everythingAbout(e)).doesNotContain(TOKEN);
    }

    @OnEachTransport
    void aTokenInAMalformedSuccessBodyIsMaskedInTheMessageAndCause() {
        server.enqueue(FakeResponse.status(200).withBody(TOKEN + " is not json", "application/json"));
        Throwable e = errorOf(noRetry().getSnapshot("abc"));
        assertThat(e).isInstanceOf(KoyebTransportException.class);
        assertThat(everythingAbout(e)).doesNotContain(TOKEN);
    }

    @OnEachTransport
    void errorsOfEveryKindNeverMentionTheToken() {
        for (int status : new int[] {401, 403, 404, 429, 500, 503}) {
            server.failNext(1, status);
            assertThat(everythingAbout(errorOf(noRetry().getSnapshot("abc")))).doesNotContain(TOKEN);
        }
        server.enqueue(FakeResponse.disconnect());
        assertThat(everythingAbout(errorOf(noRetry().getSnapshot("abc")))).doesNotContain(TOKEN);
    }

    @OnEachTransport
    void toStringsNeverShowTheToken() {
        ReactiveSnapshotsClient.Builder builder = clientBuilder();
        assertThat(builder.toString()).doesNotContain(TOKEN);
        ReactiveSnapshotsClient client = track(builder.build());
        assertThat(client.toString()).doesNotContain(TOKEN).contains(server.baseUrl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc\r\nX-Injected: 1", "abc\n", "a\u0000b", "tab\tbed", "del\u007f"})
    void aTokenWithControlCharactersIsRejectedWithoutBeingQuoted(String token) {
        assertThatThrownBy(() -> ReactiveSnapshotsClient.builder().token(token))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token));
    }

    @OnEachTransport
    void theTokenIsNeverSentOverPlainHttpToARemoteHost() {
        assertThatThrownBy(() -> ReactiveSnapshotsClient.builder().baseUrl("http://api.example.com").token(TOKEN).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("allowInsecureHttp")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
        ReactiveSnapshotsClient.builder().baseUrl("http://api.example.com").token(TOKEN).allowInsecureHttp(true).build()
                .close();
        ReactiveSnapshotsClient.builder().baseUrl("http://localhost:8080").token(TOKEN).build().close();
        ReactiveSnapshotsClient.builder().baseUrl("http://[::1]:8080").token(TOKEN).build().close();
        ReactiveSnapshotsClient.builder().baseUrl("http://api.example.com").build().close(); // no token, nothing to leak
    }
}
