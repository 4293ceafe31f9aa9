package io.github.reactivekoyeb.snapshots.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivekoyeb.snapshots.KoyebNotFoundException;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import io.github.reactivekoyeb.snapshots.support.SeededCases;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.github.reactivekoyeb.snapshots.testing.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Ids fuzzed with random Unicode, {@code /}, {@code ..}, {@code %}, {@code ?}, {@code #},
 * {@code +} and control characters, sent over real HTTP: the request always stays one segment
 * under {@code /v1/snapshots/} and the server decodes exactly the id; an id the contract rejects
 * (control characters, blank, {@code .}, {@code ..}) never reaches the server. Cases are drawn
 * from seeded generators ({@link SeededCases}): a failure prints the seed that runs it again.
 */
class PathEncodingProperties {

    static final int CASES = 500;
    static final AtomicLong SENT = new AtomicLong();
    static final AtomicLong REJECTED = new AtomicLong();

    private static FakeKoyebServer server;
    private static ReactiveSnapshotsClient client;

    @BeforeAll
    static void start() {
        server = FakeKoyebServer.start();
        client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl()).retryPolicy(RetryPolicy.none()).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        System.out.printf("PathEncodingProperties: %d ids sent and round-tripped, %d rejected before sending%n",
                SENT.get(), REJECTED.get());
    }

    private static final String[] TRICKY = {"/", "..", ".", "%", "%2F", "?", "#", "+", " ", "\\", "é", "😀",
        "\u202e", "%00", ";", "&", "=", "~", "../..", "//"};
    private static final String[] CONTROL = {"\r\n", "\u0000", "\t", "\u007f", "\u0085"};

    /**
     * 1 to 5 parts, each (weights 6, 6, 4, 1) a tricky piece, 1 to 6 characters of the BMP below the
     * surrogates, 0 to 4 printable ASCII characters, or a control character.
     */
    static String id(SplittableRandom random) {
        StringBuilder id = new StringBuilder();
        for (int parts = SeededCases.between(random, 1, 5); parts > 0; parts--) {
            switch (SeededCases.weighted(random, 6, 6, 4, 1)) {
                case 0 -> id.append(SeededCases.oneOf(random, TRICKY));
                case 1 -> id.append(chars(random, 1, 6, '\u0020', '\uD7FF'));
                case 2 -> id.append(chars(random, 0, 4, ' ', '~'));
                default -> id.append(SeededCases.oneOf(random, CONTROL));
            }
        }
        return id.toString();
    }

    private static String chars(SplittableRandom random, int minLength, int maxLength, char first, char last) {
        char[] chars = new char[SeededCases.between(random, minLength, maxLength)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) SeededCases.between(random, first, last);
        }
        return new String(chars);
    }

    @Test
    void anIdStaysInItsSegmentAndRoundTripsExactly() {
        SeededCases.run("PathEncodingProperties", CASES, random -> check(id(random)));
    }

    private void check(String id) {
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
