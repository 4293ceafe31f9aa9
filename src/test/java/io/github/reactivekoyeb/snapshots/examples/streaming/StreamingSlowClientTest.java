package io.github.reactivekoyeb.snapshots.examples.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.support.Settled;
import io.github.reactivekoyeb.snapshots.support.Slow;
import io.github.reactivekoyeb.snapshots.support.TestSecrets;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

/**
 * The streaming service example's paging follows a slow client over TCP: 8 MiB of NDJSON, seconds
 * of it, in the {@link Slow} group; LazinessTest and PagingTest count the demand in-process, and
 * StreamingServiceTest checks that a client that hangs up cancels the paging.
 */
@Slow
class StreamingSlowClientTest {

    private static final int SNAPSHOTS = 20_000; // 200 pages of 100, about 8 MiB of NDJSON
    private static FakeKoyebServer koyeb;
    private static ConfigurableApplicationContext app;
    private static String baseUrl;

    @BeforeAll
    static void start() {
        koyeb = FakeKoyebServer.builder().token(TestSecrets.TOKEN).build();
        koyeb.seed(SNAPSHOTS);
        app = StreamingServiceApplication.run("--server.port=0", "--koyeb.snapshots.base-url=" + koyeb.baseUrl(),
                "--koyeb.snapshots.token=" + TestSecrets.TOKEN, "--spring.main.banner-mode=off");
        baseUrl = "http://127.0.0.1:" + app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    @AfterAll
    static void stop() {
        app.close();
        koyeb.close();
    }

    @Test
    void aSlowClientSlowsPaging() {
        // a plain Reactor Netty client: it stops reading the socket when there is no demand; a fixed
        // 16 KiB receive buffer, since loopback autotuning would otherwise buffer megabytes
        Flux<String> chunks = HttpClient.create().option(ChannelOption.SO_RCVBUF, 16 * 1024).baseUrl(baseUrl)
                .headers(h -> h.add("Accept", "application/x-ndjson"))
                .get().uri("/snapshots").responseContent().asString();
        int[] whileStalled = new int[2];
        long[] bytes = new long[1];
        StepVerifier.create(chunks.doOnNext(chunk -> bytes[0] += chunk.length()), 5)
                .expectNextCount(5)
                // the client stops reading: socket buffers and the service fill up, then paging stops
                // short of the end, and stays there. Not at the same count to the page: the kernel
                // grows the server's send buffer (loopback autotuning) by steps while the client does
                // not read, and a step after the count had been quiet for 600 ms took one CI run
                // (two suites at once on 2 cores) from 120 to 128 of the 200 pages
                .then(() -> whileStalled[0] = Settled.count(koyeb::requestCount, Duration.ofMillis(600),
                        Duration.ofSeconds(10)))
                .then(() -> sleep(1_500))
                .then(() -> whileStalled[1] = koyeb.requestCount())
                .then(() -> assertThat(whileStalled[1]).as("pages fetched after 1.5 s more of a client that does"
                        + " not read").isLessThan(SNAPSHOTS / 100))
                .thenRequest(Long.MAX_VALUE) // reading again resumes paging, to the end
                .thenConsumeWhile(chunk -> true)
                .expectComplete()
                .verify(Duration.ofSeconds(60));
        assertThat(whileStalled[0]).isLessThan(SNAPSHOTS / 100);
        assertThat(koyeb.requestCount()).isEqualTo(SNAPSHOTS / 100);
        System.out.printf("slow-client: %d of %d pages fetched while the client had stopped reading, %d 1.5 s"
                + " later%n", whileStalled[0], SNAPSHOTS / 100, whileStalled[1]);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
