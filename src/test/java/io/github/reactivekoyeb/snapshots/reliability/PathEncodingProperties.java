package io.github.reactivekoyeb.snapshots.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivekoyeb.snapshots.KoyebNotFoundException;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.github.reactivekoyeb.snapshots.testing.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import reactor.core.publisher.Mono;

/**
 * Ids fuzzed with random Unicode, {@code /}, {@code ..}, {@code %}, {@code ?}, {@code #},
 * {@code +} and control characters, sent over real HTTP: the request always stays one segment
 * under {@code /v1/snapshots/} and the server decodes exactly the id; an id the contract rejects
 * (control characters, blank, {@code .}, {@code ..}) never reaches the server.
 */
class PathEncodingProperties {

    static final int CASES = 500;
    static final AtomicLong SENT = new AtomicLong();
    static final AtomicLong REJECTED = new AtomicLong();

    private static FakeKoyebServer server;
    private static ReactiveSnapshotsClient client;

    @BeforeContainer
    static void start() {
        server = FakeKoyebServer.start();
        client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).retryPolicy(RetryPolicy.none()).build();
    }

    @AfterContainer
    static void stop() {
        client.close();
        server.close();
        System.out.printf("PathEncodingProperties: %d ids sent and round-tripped, %d rejected before sending%n",
                SENT.get(), REJECTED.get());
    }

    @Provide
    Arbitrary<String> ids() {
        Arbitrary<String> tricky = Arbitraries.of("/", "..", ".", "%", "%2F", "?", "#", "+", " ", "\\", "é", "😀",
                "\u202e", "%00", ";", "&", "=", "~", "../..", "//");
        Arbitrary<String> control = Arbitraries.of("\r\n", "\u0000", "\t", "\u007f", "\u0085");
        Arbitrary<String> unicode = Arbitraries.strings().withCharRange('\u0020', '\uD7FF').ofMinLength(1).ofMaxLength(6);
        return Arbitraries.frequencyOf(Tuple.of(6, tricky), Tuple.of(6, unicode),
                        Tuple.of(4, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(4)), Tuple.of(1, control))
                .list().ofMinSize(1).ofMaxSize(5).map(parts -> String.join("", parts));
    }

    @Property(tries = CASES)
    void anIdStaysInItsSegmentAndRoundTripsExactly(@ForAll("ids") String id) {
        boolean rejected = id.isBlank() || id.equals(".") || id.equals("..") || id.chars().anyMatch(Character::isISOControl);
        int before = server.requestCount();
        if (rejected) {
            assertThatThrownBy(() -> client.getSnapshot(id)).isInstanceOf(IllegalArgumentException.class);
            assertThat(server.requestCount()).isEqualTo(before);
            REJECTED.incrementAndGet();
            return;
        }
        AtomicReference<Throwable> error = new AtomicReference<>();
        client.getSnapshot(id).doOnError(error::set).onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(10));
        assertThat(error.get()).isInstanceOf(KoyebNotFoundException.class); // the fake has no snapshot by that id
        RecordedRequest request = server.lastRequest();
        assertThat(request.path()).startsWith("/v1/snapshots/");
        String segment = request.path().substring("/v1/snapshots/".length());
        assertThat(segment).matches("[A-Za-z0-9._~%-]+");
        assertThat(request.rawQuery()).isNull();
        assertThat(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8)).isEqualTo(id);
        assertThat(((KoyebNotFoundException) error.get()).path()).isEqualTo(request.path());
        SENT.incrementAndGet();
    }
}
