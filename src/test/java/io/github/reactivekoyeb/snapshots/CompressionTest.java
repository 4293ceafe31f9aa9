package io.github.reactivekoyeb.snapshots;

import io.github.reactivekoyeb.snapshots.support.OnEachTransport;
import io.github.reactivekoyeb.snapshots.support.ClientTransport;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.support.BufferLeakAppender;
import io.github.reactivekoyeb.snapshots.support.NoBufferLeaksExtension;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/** gzip replies: asked for, inflated by the client on any connector, bounded when inflated. */
class CompressionTest implements ClientTransport.Aware {

    /** How this test's clients send: each {@link OnEachTransport} test runs once on each transport. */
    private ClientTransport transport = ClientTransport.REACTOR_NETTY;

    @Override
    public void useTransport(ClientTransport transport) {
        this.transport = transport;
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private FakeKoyebServer server;

    @BeforeEach
    void start() {
        server = FakeKoyebServer.start();
        server.seed(300);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @OnEachTransport
    void listingTenThousandSnapshotsCompressedSendsAtMostAFifthOfTheBytes() {
        server.clearSnapshots();
        server.seed(10_000);
        long plain;
        try (ReactiveSnapshotsClient client = transport.apply(ReactiveSnapshotsClient.builder()).baseUrl(server.baseUrl())
                .compression(false).build()) {
            assertThat(client.listSnapshots().count().block(TIMEOUT)).isEqualTo(10_000);
            assertThat(server.lastRequest().header("Accept-Encoding")).isNull();
            plain = server.bodyBytesWritten();
        }
        long compressed;
        try (ReactiveSnapshotsClient client = transport.apply(ReactiveSnapshotsClient.builder()).baseUrl(server.baseUrl()).build()) {
            assertThat(client.listSnapshots().collectList().block(TIMEOUT)).isEqualTo(server.snapshots());
            assertThat(server.lastRequest().header("Accept-Encoding")).isEqualTo("gzip");
            compressed = server.bodyBytesWritten() - plain;
        }
        System.out.printf("compression: 10,000 snapshots in pages of 100: %,d bytes plain, %,d gzip (%.3fx)%n", plain,
                compressed, compressed / (double) plain);
        assertThat(compressed).isLessThanOrEqualTo(plain / 5);
    }

    @OnEachTransport
    void compressedErrorBodiesAreReadToo() {
        try (ReactiveSnapshotsClient client = transport.apply(ReactiveSnapshotsClient.builder()).baseUrl(server.baseUrl()).build()) {
            StepVerifier.create(client.getSnapshot("missing"))
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(KoyebNotFoundException.class);
                        assertThat(((KoyebApiException) e).errorCode()).isEqualTo("not_found");
                        assertThat(((KoyebApiException) e).bodySnippet()).contains("\"not_found\"");
                    })
                    .verify(TIMEOUT);
        }
    }

    @OnEachTransport
    void onAnApplicationsConnectorThatDecompressesTheBodyArrivesPlainAndIsRead() {
        WebClient.Builder app = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create().compress(true)));
        try (ReactiveSnapshotsClient client = transport.apply(ReactiveSnapshotsClient.builder()).baseUrl(server.baseUrl())
                .webClientBuilder(app).build()) {
            assertThat(client.getSnapshot("snap-000042").block(TIMEOUT).id()).isEqualTo("snap-000042");
            assertThat(client.listSnapshots().take(250).count().block(TIMEOUT)).isEqualTo(250);
        }
    }

    @OnEachTransport
    void aGzipBombFailsQuicklyAsResponseTooLargeInBoundedMemory() throws IOException {
        byte[] bomb = bomb(1024); // about 1 MiB that inflates to 1 GiB and more
        DisposableServer bomber = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> response.status(200).header("Content-Type", "application/json")
                        .header("Content-Encoding", "gzip").header("Content-Length", String.valueOf(bomb.length))
                        .sendByteArray(Mono.just(bomb)))
                .bindNow();
        try (ReactiveSnapshotsClient client = transport.apply(ReactiveSnapshotsClient.builder())
                .baseUrl("http://127.0.0.1:" + bomber.port()).build()) {
            long start = System.nanoTime();
            StepVerifier.create(client.getSnapshot("snap-000001"))
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(KoyebTransportException.class);
                        assertThat(((KoyebTransportException) e).reason())
                                .isEqualTo(KoyebTransportException.Reason.RESPONSE_TOO_LARGE);
                        assertThat(e.getMessage()).contains("larger than the client's limit of 4194304 bytes");
                    })
                    .verify(TIMEOUT);
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("compression: a gzip bomb of %,d bytes (1 GiB inflated) refused in %d ms%n", bomb.length,
                    millis);
            assertThat(millis).isLessThan(5_000);
        } finally {
            bomber.disposeNow();
        }
    }

    /**
     * A reply labelled gzip that is not gzip, is cut short, or is corrupt after a good header, on a
     * success and on error statuses: a typed error (the body's start for an error status, a
     * malformed reply for a success) and, under the paranoid leak detector, no buffer left unreleased.
     */
    @OnEachTransport
    void aBrokenGzipReplyIsATypedErrorAndLeaksNothing() throws Exception {
        byte[] json = "{\"snapshot\":{\"id\":\"snap-000001\",\"name\":\"n\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] gzip = gzip(json);
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("plain JSON", json);
        bodies.put("truncated", Arrays.copyOf(gzip, gzip.length / 2));
        bodies.put("corrupt", corrupt(gzip));
        bodies.put("one byte", new byte[] {0x1f});
        bodies.put("empty", new byte[0]);
        NoBufferLeaksExtension.provokeReports();
        BufferLeakAppender.drain();
        for (Map.Entry<String, byte[]> body : bodies.entrySet()) {
            for (int status : new int[] {200, 404, 503}) {
                DisposableServer broken = HttpServer.create().host("127.0.0.1").port(0)
                        .handle((request, response) -> response.status(status)
                                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                                .header("Content-Length", String.valueOf(body.getValue().length))
                                .sendByteArray(Mono.just(body.getValue())))
                        .bindNow();
                try (ReactiveSnapshotsClient client = transport.apply(ReactiveSnapshotsClient.builder())
                        .baseUrl("http://127.0.0.1:" + broken.port()).retryPolicy(RetryPolicy.none()).build()) {
                    for (int i = 0; i < 3; i++) {
                        StepVerifier.create(client.getSnapshot("snap-000001"))
                                .expectErrorSatisfies(e -> {
                                    String which = body.getKey() + " labelled gzip, HTTP " + status;
                                    if (status == 200) {
                                        assertThat(e).as(which).isInstanceOf(KoyebTransportException.class);
                                        assertThat(((KoyebTransportException) e).reason()).as(which)
                                                .isEqualTo(KoyebTransportException.Reason.MALFORMED_RESPONSE);
                                    } else {
                                        assertThat(e).as(which).isInstanceOf(KoyebApiException.class);
                                        assertThat(((KoyebApiException) e).statusCode()).as(which).isEqualTo(status);
                                    }
                                })
                                .verify(TIMEOUT);
                    }
                } finally {
                    broken.disposeNow();
                }
            }
        }
        NoBufferLeaksExtension.provokeReports();
        assertThat(BufferLeakAppender.drain()).as("leak reports").isEmpty();
    }

    /** A good gzip header, then its deflated data turned to noise. */
    private static byte[] corrupt(byte[] gzip) {
        byte[] corrupt = gzip.clone();
        for (int i = 10; i < corrupt.length - 8; i++) {
            corrupt[i] = (byte) (0xA5 ^ i);
        }
        return corrupt;
    }

    /** A JSON reply whose one string is {@code mebibytes} MiB of 'a', as concatenated gzip members. */
    private static byte[] bomb(int mebibytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(gzip("{\"snapshot\":{\"id\":\"".getBytes(StandardCharsets.UTF_8)));
        byte[] mebibyte = new byte[1 << 20];
        Arrays.fill(mebibyte, (byte) 'a');
        byte[] member = gzip(mebibyte);
        for (int i = 0; i < mebibytes; i++) {
            out.write(member);
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(plain);
        }
        return out.toByteArray();
    }
}
