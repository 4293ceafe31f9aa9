package io.github.reactivekoyeb.snapshots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivekoyeb.snapshots.testing.RecordedRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;

/** What goes on the wire: headers, paths, queries, and the checks made before anything is sent. */
class RequestFormatTest extends FakeServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** A fake credential of the application for some other API. */
    private static final String OTHER_APIS_TOKEN = "app-token-for-another-api";

    @Test
    void everyRequestCarriesBearerTokenAcceptAndUserAgent() {
        server.seed(1);
        client().getSnapshot("snap-000001").block(TIMEOUT);
        RecordedRequest request = server.lastRequest();
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(request.header("Accept")).isEqualTo("application/json");
        assertThat(request.header("User-Agent")).startsWith("koyeb-snapshots-reactive/0.1.0-SNAPSHOT");
        assertThat(request.header("Content-Type")).isNull();
    }

    @Test
    void bodiesAreSentAsJson() {
        server.seed(1);
        ReactiveSnapshotsClient client = client();
        client.createSnapshot(CreateSnapshotRequest.of("vol-1", "a")).block(TIMEOUT);
        assertThat(server.lastRequest().method()).isEqualTo("POST");
        assertThat(server.lastRequest().path()).isEqualTo("/v1/snapshots");
        assertThat(server.lastRequest().header("Content-Type")).isEqualTo("application/json");
        client.updateSnapshot("snap-000001", new UpdateSnapshotRequest("b")).block(TIMEOUT);
        assertThat(server.lastRequest().method()).isEqualTo("POST");
        assertThat(server.lastRequest().path()).isEqualTo("/v1/snapshots/snap-000001");
        assertThat(server.lastRequest().header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void eachOperationUsesItsMethodAndPath() {
        server.seed(1);
        ReactiveSnapshotsClient client = client();
        client.getSnapshot("snap-000001").block(TIMEOUT);
        client.deleteSnapshot("snap-000001").block(TIMEOUT);
        client.listSnapshots().collectList().block(TIMEOUT);
        assertThat(server.requests()).extracting(r -> r.method() + " " + r.path())
                .containsExactly("GET /v1/snapshots/snap-000001", "DELETE /v1/snapshots/snap-000001", "GET /v1/snapshots");
    }

    @Test
    void pathParametersArePercentEncodedAndNeverChangeThePath() {
        StepVerifier.create(client().getSnapshot("a/../b")).expectError(KoyebNotFoundException.class).verify(TIMEOUT);
        assertThat(server.lastRequest().path()).isEqualTo("/v1/snapshots/a%2F..%2Fb");
        StepVerifier.create(client().getSnapshot("x?y#z %+é")).expectError(KoyebNotFoundException.class).verify(TIMEOUT);
        assertThat(server.lastRequest().path()).isEqualTo("/v1/snapshots/x%3Fy%23z%20%25%2B%C3%A9");
        assertThat(server.lastRequest().rawQuery()).isNull();
    }

    @Test
    void queryValuesArePercentEncoded() {
        client().listSnapshots(ListSnapshotsRequest.builder().region("a+b c&d=e").organizationId("o/1").build())
                .collectList().block(TIMEOUT);
        String rawQuery = server.lastRequest().rawQuery();
        assertThat(rawQuery).contains("region=a%2Bb%20c%26d%3De").contains("organization_id=o%2F1");
        assertThat(server.lastRequest().queryParameter("region")).isEqualTo("a+b c&d=e");
    }

    @Test
    void filtersAndPageSizeAreSentAsTheSpecSays() {
        client().listSnapshots(ListSnapshotsRequest.builder()
                        .organizationId("org-1")
                        .statuses(SnapshotStatus.AVAILABLE, SnapshotStatus.CREATING)
                        .region("fra")
                        .pageSize(25)
                        .startOffset(50)
                        .build())
                .collectList().block(TIMEOUT);
        RecordedRequest request = server.lastRequest();
        assertThat(request.queryParameters("statuses"))
                .containsExactly("SNAPSHOT_STATUS_AVAILABLE", "SNAPSHOT_STATUS_CREATING");
        assertThat(request.rawQuery()).contains("statuses=SNAPSHOT_STATUS_AVAILABLE&statuses=SNAPSHOT_STATUS_CREATING");
        assertThat(request.queryParameter("organization_id")).isEqualTo("org-1");
        assertThat(request.queryParameter("region")).isEqualTo("fra");
        assertThat(request.queryParameter("limit")).isEqualTo("25");
        assertThat(request.queryParameter("offset")).isEqualTo("50");
    }

    @Test
    void defaultPageSizeIsTheDocumentedConstant() {
        client().listSnapshots().collectList().block(TIMEOUT);
        assertThat(server.lastRequest().queryParameter("limit"))
                .isEqualTo(String.valueOf(ListSnapshotsRequest.DEFAULT_PAGE_SIZE));
        track(clientBuilder().defaultPageSize(7).build()).listSnapshots().collectList().block(TIMEOUT);
        assertThat(server.lastRequest().queryParameter("limit")).isEqualTo("7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "//", "/v1/"})
    void baseUrlMayEndWithASlashOrNot(String suffix) {
        String base = server.baseUrl() + suffix.replace("/v1/", "/");
        server.seed(1);
        ReactiveSnapshotsClient client = track(clientBuilder().baseUrl(base).build());
        StepVerifier.create(client.getSnapshot("snap-000001")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(server.lastRequest().path()).isEqualTo("/v1/snapshots/snap-000001");
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", " ", "", "a\r\nX-Evil: 1", "a\nb", "nul\u0000", "del\u007f", "c1\u0085"})
    void invalidIdsAreRejectedBeforeAnyRequest(String id) {
        ReactiveSnapshotsClient client = client();
        assertThatThrownBy(() -> client.getSnapshot(id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.deleteSnapshot(id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.updateSnapshot(id, new UpdateSnapshotRequest("n")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.requestCount()).isZero();
    }

    @Test
    @SuppressWarnings("DataFlowIssue")
    void nullArgumentsThrowNullPointerExceptionAtCallTime() {
        ReactiveSnapshotsClient client = client();
        assertThatThrownBy(() -> client.getSnapshot(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> client.deleteSnapshot(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> client.createSnapshot(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> client.updateSnapshot("a", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> client.updateSnapshot(null, new UpdateSnapshotRequest("n")))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> client.listSnapshots(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> client.listSnapshotPages(null)).isInstanceOf(NullPointerException.class);
        assertThat(server.requestCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 101, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void pageSizeOutsideOneToHundredIsRejected(int size) {
        assertThatThrownBy(() -> ListSnapshotsRequest.builder().pageSize(size))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pageSize");
        assertThatThrownBy(() -> ReactiveSnapshotsClient.builder().defaultPageSize(size))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pageSizeBoundsAreAccepted() {
        assertThat(ListSnapshotsRequest.builder().pageSize(1).build().pageSize()).hasValue(1);
        assertThat(ListSnapshotsRequest.builder().pageSize(100).build().pageSize()).hasValue(100);
        assertThat(ListSnapshotsRequest.builder().build().pageSize()).isEmpty();
    }

    @Test
    void negativeOffsetIsRejected() {
        assertThatThrownBy(() -> ListSnapshotsRequest.builder().startOffset(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startOffset");
    }

    @Test
    void unknownStatusCannotBeUsedAsAFilter() {
        assertThatThrownBy(() -> ListSnapshotsRequest.builder().statuses(SnapshotStatus.UNKNOWN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ListSnapshotsRequest.builder().statuses(SnapshotStatus.AVAILABLE, null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void builderRejectsBadSettings() {
        ReactiveSnapshotsClient.Builder builder = ReactiveSnapshotsClient.builder();
        assertThatThrownBy(() -> builder.baseUrl("not a url")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.baseUrl("ftp://example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.baseUrl("https://example.com/?a=b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.responseTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.responseTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.token(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.retryPolicy(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.webClientBuilder(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.maxResponseSize(10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clientWithoutTokenSendsNoAuthorization() {
        server.close();
        server = io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer.start();
        server.seed(1);
        ReactiveSnapshotsClient client = track(ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).build());
        client.getSnapshot("snap-000001").block(TIMEOUT);
        assertThat(server.lastRequest().header("Authorization")).isNull();
    }

    @Test
    void applicationWebClientBuilderIsUsedButNeverMutated() {
        server.seed(1);
        List<String> filtered = new java.util.concurrent.CopyOnWriteArrayList<>();
        WebClient.Builder appBuilder = WebClient.builder()
                .defaultHeader("Authorization", "Bearer " + OTHER_APIS_TOKEN)
                .defaultHeader("X-App", "yes")
                .filter((request, next) -> {
                    filtered.add(request.method() + " " + request.url().getRawPath());
                    return next.exchange(ClientRequest.from(request).header("X-Filtered", "1").build());
                });
        ReactiveSnapshotsClient client = track(clientBuilder().webClientBuilder(appBuilder).build());

        client.getSnapshot("snap-000001").block(TIMEOUT);
        RecordedRequest fromClient = server.lastRequest();
        assertThat(fromClient.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(fromClient.header("X-App")).isEqualTo("yes");
        assertThat(fromClient.header("X-Filtered")).isEqualTo("1");
        assertThat(filtered).containsExactly("GET /v1/snapshots/snap-000001");

        // the application's own builder still has its default Authorization and no client settings
        appBuilder.build().get().uri(server.baseUrl() + "/v1/snapshots/snap-000001").retrieve().toBodilessEntity()
                .onErrorResume(e -> reactor.core.publisher.Mono.empty()).block(TIMEOUT);
        RecordedRequest fromApp = server.lastRequest();
        assertThat(fromApp.header("Authorization")).isEqualTo("Bearer " + OTHER_APIS_TOKEN);
        assertThat(fromApp.header("User-Agent")).doesNotStartWith("koyeb-snapshots-reactive");
    }

    @Test
    void clientWithoutTokenDoesNotForwardTheApplicationsAuthorization() {
        server.close();
        server = io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer.start();
        server.seed(1);
        WebClient.Builder appBuilder = WebClient.builder().defaultHeader("Authorization", "Bearer other");
        ReactiveSnapshotsClient client = track(ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl())
                .webClientBuilder(appBuilder).build());
        client.getSnapshot("snap-000001").block(TIMEOUT);
        assertThat(server.lastRequest().header("Authorization")).isNull();
    }
}
