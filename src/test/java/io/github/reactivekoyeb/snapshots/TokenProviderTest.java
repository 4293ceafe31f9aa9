package io.github.reactivekoyeb.snapshots;

import io.github.reactivekoyeb.snapshots.support.OnEachTransport;
import io.github.reactivekoyeb.snapshots.support.ClientTransport;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.support.TestSecrets;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.github.reactivekoyeb.snapshots.testing.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Tokens from a provider: asked for each request, a 401 answered once with a new token, errors typed, never shown. */
class TokenProviderTest implements ClientTransport.Aware {

    /** How this test's clients send: each {@link OnEachTransport} test runs once on each transport. */
    private ClientTransport transport = ClientTransport.REACTOR_NETTY;

    @Override
    public void useTransport(ClientTransport transport) {
        this.transport = transport;
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private FakeKoyebServer server;
    private final AtomicReference<String> current = new AtomicReference<>(TestSecrets.TOKEN);
    private final AtomicInteger asked = new AtomicInteger();
    private ReactiveSnapshotsClient client;

    @BeforeEach
    void start() {
        server = FakeKoyebServer.builder().token(TestSecrets.TOKEN).build();
        server.seed(500);
        client = transport.apply(ReactiveSnapshotsClient.builder()).baseUrl(server.baseUrl())
                .tokenProvider(() -> Mono.fromSupplier(() -> {
                    asked.incrementAndGet();
                    return current.get();
                }))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static List<String> authorizations(List<RecordedRequest> requests) {
        return requests.stream().map(r -> r.header("Authorization")).toList();
    }

    @OnEachTransport
    void theProviderIsAskedForEveryRequest() {
        assertThat(client.listSnapshots(ListSnapshotsRequest.builder().pageSize(100).build()).count().block(TIMEOUT))
                .isEqualTo(500);
        assertThat(asked.get()).isEqualTo(server.requestCount()).isEqualTo(5);
        assertThat(authorizations(server.requests())).containsOnly("Bearer " + TestSecrets.TOKEN);
    }

    @OnEachTransport
    void theTokenRotatesInTheMiddleOfA50PageListingAndTheListingCompletes() {
        List<Snapshot> seen = client.listSnapshots(ListSnapshotsRequest.builder().pageSize(10).build())
                .doOnNext(s -> {
                    if (s.id().equals("snap-000250")) {
                        // the API now takes only the new token, which the secret store already has
                        server.requireToken(TestSecrets.ROTATED);
                        current.set(TestSecrets.ROTATED);
                    }
                })
                .collectList().block(TIMEOUT);
        assertThat(seen).hasSize(500).extracting(Snapshot::id).doesNotHaveDuplicates();
        // 50 pages: 25 with the old token, then none refused (the provider had the new one already)
        assertThat(server.requestCount()).isEqualTo(50);
        assertThat(authorizations(server.requests())).endsWith("Bearer " + TestSecrets.ROTATED);
    }

    @OnEachTransport
    void aPageRefusedWithTheOldTokenIsSentOnceMoreWithTheNewOne() {
        AtomicInteger staleReads = new AtomicInteger();
        ReactiveSnapshotsClient lagging = transport.apply(ReactiveSnapshotsClient.builder()).baseUrl(server.baseUrl())
                // a cache that serves the old token once more after the store rotated it
                .tokenProvider(() -> Mono.fromSupplier(() -> staleReads.getAndDecrement() > 0 ? TestSecrets.TOKEN
                        : current.get()))
                .retryPolicy(RetryPolicy.none())
                .build();
        try (lagging) {
            List<Snapshot> seen = lagging.listSnapshots(ListSnapshotsRequest.builder().pageSize(10).build())
                    .doOnNext(s -> {
                        if (s.id().equals("snap-000250")) {
                            server.requireToken(TestSecrets.ROTATED);
                            current.set(TestSecrets.ROTATED);
                            staleReads.set(1);
                        }
                    })
                    .collectList().block(TIMEOUT);
            assertThat(seen).hasSize(500).extracting(Snapshot::id).doesNotHaveDuplicates();
        }
        // 50 pages and the one refused, sent once more with the new token
        assertThat(server.requestCount()).isEqualTo(51);
        assertThat(authorizations(server.requests()).subList(25, 27)).containsExactly("Bearer " + TestSecrets.TOKEN,
                "Bearer " + TestSecrets.ROTATED);
    }

    @OnEachTransport
    void aRefusedTokenIsReplacedOnceEvenForACreate() {
        // the store rotated the token; the provider's cache still holds the old one for one more read
        server.requireToken(TestSecrets.ROTATED);
        AtomicInteger reads = new AtomicInteger();
        ReactiveSnapshotsClient caching = transport.apply(ReactiveSnapshotsClient.builder()).baseUrl(server.baseUrl())
                .tokenProvider(() -> Mono.fromSupplier(() -> reads.getAndIncrement() == 0 ? TestSecrets.TOKEN
                        : TestSecrets.ROTATED))
                .retryPolicy(RetryPolicy.none())
                .build();
        try (caching) {
            Snapshot created = caching.createSnapshot(CreateSnapshotRequest.of("vol-1", "after-rotation")).block(TIMEOUT);
            assertThat(created.name()).isEqualTo("after-rotation");
        }
        assertThat(server.requests()).hasSize(2);
        assertThat(authorizations(server.requests())).containsExactly("Bearer " + TestSecrets.TOKEN,
                "Bearer " + TestSecrets.ROTATED);
        assertThat(server.snapshots()).filteredOn(s -> "after-rotation".equals(s.name())).hasSize(1);
    }

    @OnEachTransport
    void neverMoreThanOnceAndNeverWithTheSameToken() {
        server.requireToken("tok_test_nobody_has_this_one_SECRET");
        AtomicInteger n = new AtomicInteger();
        ReactiveSnapshotsClient rotating = transport.apply(ReactiveSnapshotsClient.builder()).baseUrl(server.baseUrl())
                .tokenProvider(() -> Mono.just(n.incrementAndGet() % 2 == 0 ? TestSecrets.ROTATED : TestSecrets.TOKEN))
                .build();
        try (rotating) {
            StepVerifier.create(rotating.getSnapshot("snap-000001"))
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(KoyebUnauthorizedException.class);
                        assertThat(((KoyebUnauthorizedException) e).attempts()).isEqualTo(2);
                    })
                    .verify(TIMEOUT);
        }
        assertThat(server.requestCount()).isEqualTo(2);

        // a provider that still gives the refused token: no second request at all
        server.clearRequests();
        StepVerifier.create(client.getSnapshot("snap-000001"))
                .expectErrorSatisfies(e -> assertThat(((KoyebException) e).attempts()).isEqualTo(1))
                .verify(TIMEOUT);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @OnEachTransport
    void aProviderThatFailsGivesATypedErrorAndSendsNothing() {
        ReactiveSnapshotsClient failing = transport.apply(ReactiveSnapshotsClient.builder()).baseUrl(server.baseUrl())
                .tokenProvider(() -> Mono.error(new IllegalStateException("vault sealed")))
                .build();
        try (failing) {
            StepVerifier.create(failing.getSnapshot("snap-000001"))
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(KoyebTokenProviderException.class)
                                .hasMessage("GET /v1/snapshots/snap-000001: the token provider failed "
                                        + "(java.lang.IllegalStateException)")
                                .hasCauseInstanceOf(IllegalStateException.class);
                        assertThat(((KoyebException) e).attempts()).isZero();
                    })
                    .verify(TIMEOUT);
        }
        assertThat(server.requestCount()).isZero();
    }

    @OnEachTransport
    void aProviderThatGivesNothingUsableGivesATypedErrorThatNeverQuotesIt() {
        String bad = TestSecrets.ROTATED + "\r\nX-Injected: 1";
        for (Mono<String> given : List.of(Mono.<String>empty(), Mono.just("  "), Mono.just(bad))) {
            ReactiveSnapshotsClient odd = transport.apply(ReactiveSnapshotsClient.builder()).baseUrl(server.baseUrl())
                    .tokenProvider(() -> given).build();
            try (odd) {
                StepVerifier.create(odd.listSnapshots())
                        .expectErrorSatisfies(e -> {
                            assertThat(e).isInstanceOf(KoyebTokenProviderException.class);
                            assertThat(e.getMessage()).startsWith("GET /v1/snapshots: the token provider gave")
                                    .doesNotContain(TestSecrets.ROTATED);
                            assertThat(String.valueOf(e)).doesNotContain(TestSecrets.ROTATED);
                        })
                        .verify(TIMEOUT);
            }
        }
        assertThat(server.requestCount()).isZero();
    }

    @OnEachTransport
    void theProviderIsNeverShownAndErrorBodiesAreMaskedWithTheTokenUsed() {
        assertThat(client.toString()).doesNotContain(TestSecrets.TOKEN);
        assertThat(transport.apply(ReactiveSnapshotsClient.builder()).tokenProvider(TokenProvider.of(TestSecrets.TOKEN)).toString())
                .contains("token=[provider]").doesNotContain(TestSecrets.TOKEN);
        assertThat(TokenProvider.of(TestSecrets.TOKEN).toString()).doesNotContain(TestSecrets.TOKEN);
        current.set(TestSecrets.ROTATED);
        server.requireToken(TestSecrets.ROTATED);
        server.enqueue(io.github.reactivekoyeb.snapshots.testing.FakeResponse.json(400,
                "{\"code\":\"invalid\",\"message\":\"bad token " + TestSecrets.ROTATED + "\"}"));
        StepVerifier.create(client.getSnapshot("snap-000001"))
                .expectErrorSatisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain(TestSecrets.ROTATED).contains("[REDACTED]");
                    assertThat(((KoyebApiException) e).bodySnippet()).doesNotContain(TestSecrets.ROTATED);
                })
                .verify(TIMEOUT);
    }

    @OnEachTransport
    void aFixedTokenAndAProviderReplaceEachOther() {
        ReactiveSnapshotsClient fixed = transport.apply(ReactiveSnapshotsClient.builder()).baseUrl(server.baseUrl())
                .tokenProvider(() -> Mono.just("tok_test_unused_provider_SECRET")).token(TestSecrets.TOKEN).build();
        try (fixed) {
            assertThat(fixed.getSnapshot("snap-000001").block(TIMEOUT)).isNotNull();
        }
        assertThat(server.lastRequest().header("Authorization")).isEqualTo("Bearer " + TestSecrets.TOKEN);
    }
}
