package it.bootapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivekoyeb.snapshots.CreateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import io.micrometer.core.instrument.MeterRegistry;
import it.shared.DependencyVersions;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.SpringVersion;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/** The library in a Boot application of the line under test, as a new user adds it. */
class BootAppTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String TOKEN = "it-" + "boot-app-" + "token";
    private static FakeKoyebServer koyeb;

    @BeforeAll
    static void start() {
        koyeb = FakeKoyebServer.builder().token(TOKEN).creationDelay(Duration.ofMillis(300)).build();
        koyeb.seed(250);
        System.out.println("Spring Boot " + SpringBootVersion.getVersion() + ", Spring Framework "
                + SpringVersion.getVersion() + ", Java " + System.getProperty("java.version"));
    }

    @AfterAll
    static void stop() {
        koyeb.close();
    }

    /** The app as its main method starts it: ahead of time, its initializer is found by the main class. */
    private static SpringApplication application() {
        SpringApplication application = new SpringApplication(BootApp.class);
        application.setMainApplicationClass(BootApp.class);
        return application;
    }

    private static ConfigurableApplicationContext run(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
                "--koyeb.snapshots.base-url=" + koyeb.baseUrl(), "--koyeb.snapshots.token=" + TOKEN,
                "--koyeb.snapshots.retry.initial-backoff=5ms", "--koyeb.snapshots.retry.max-backoff=10ms"));
        args.addAll(List.of(extra));
        return application().run(args.toArray(String[]::new));
    }

    @Test
    void theApplicationRunsOnTheCodeThatThisBuildAskedFor() throws Exception {
        boolean aot = Boolean.getBoolean("expect.aot");
        assertThat(AotDetector.useGeneratedArtifacts()).as("spring.aot.enabled").isEqualTo(aot);
        if (aot) {
            // what spring-boot:process-aot generated, which SpringApplication then starts from
            assertThat(Class.forName("it.bootapp.BootApp__ApplicationContextInitializer")).isNotNull();
            // and the library's hints (aot.factories) are in the native-image metadata of the build
            Path metadata = Path.of(System.getProperty("build.dir"), "spring-aot", "main", "resources", "META-INF",
                    "native-image");
            StringBuilder all = new StringBuilder();
            try (var files = Files.walk(metadata)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                    // Spring 7 writes reachability-metadata.json (with \/ in strings), Spring 6.2 reflect-
                    // and resource-config.json
                    all.append(Files.readString(file).replace("\\/", "/"));
                }
            }
            assertThat(all.toString()).contains("io/github/reactivekoyeb/snapshots/internal/version.properties")
                    .contains("org.springframework.http.HttpHeaders").contains("\"remove\"")
                    .contains("io.github.reactivekoyeb.snapshots.Snapshot");
        }
    }

    @Test
    void aheadOfTimeTheClientIsPartOfTheAppAndAStartWithoutATokenFailsSayingSo() {
        Assumptions.assumeTrue(Boolean.getBoolean("expect.aot"), "only in an application processed ahead of time");
        assertThatThrownBy(() -> application().run("--server.port=0",
                "--spring.main.banner-mode=off", "--koyeb.snapshots.base-url=" + koyeb.baseUrl()).close())
                .satisfies(e -> {
                    StringBuilder messages = new StringBuilder();
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        messages.append(t.getMessage()).append('\n');
                    }
                    assertThat(messages.toString()).contains("No Koyeb API token").contains("ahead of time");
                });
    }

    @Test
    void theBootVersionIsTheLineUnderTest() {
        assertThat(SpringBootVersion.getVersion()).isEqualTo(System.getProperty("boot.version"));
    }

    @Test
    void theAutoConfiguredClientListsWaitsAndIsMeteredUnderUriTemplates() {
        try (ConfigurableApplicationContext app = run()) {
            ReactiveSnapshotsClient client = app.getBean(ReactiveSnapshotsClient.class);
            koyeb.failNext(1, 503);
            assertThat(client.listSnapshots().count().block(TIMEOUT)).isEqualTo(250);
            Snapshot created = client.createSnapshotAndAwait(CreateSnapshotRequest.of("vol-1", "it"), TIMEOUT)
                    .block(TIMEOUT);
            assertThat(created.status()).isEqualTo(SnapshotStatus.AVAILABLE);

            // the service itself streams the listing through the application's own Jackson
            int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            // a caller of the service, on resources of its own: WebClient.create() would run on Reactor
            // Netty's global resources, which the app's ReactorResourceFactory (and every context this
            // JVM closed before) disposes of, so the caller's connections would live and die with the app
            LoopResources loops = LoopResources.create("caller", 1, true);
            ConnectionProvider connections = ConnectionProvider.create("caller", 1);
            try {
                WebClient caller = WebClient.builder().baseUrl("http://127.0.0.1:" + port)
                        .clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections).runOn(loops)))
                        .build();
                List<Snapshot> streamed = caller.get().uri("/snapshots").retrieve().bodyToFlux(Snapshot.class)
                        .collectList()
                        // timed out once in CI (Boot 4.1), on global resources: if it does again, the threads say where
                        .timeout(TIMEOUT).doOnError(java.util.concurrent.TimeoutException.class, e -> printThreads())
                        .block();
                assertThat(streamed).hasSize(251).first().isEqualTo(koyeb.snapshots().get(0));
            } finally {
                connections.disposeLater().then(loops.disposeLater(Duration.ZERO, TIMEOUT)).block(TIMEOUT);
            }

            MeterRegistry meters = app.getBean(MeterRegistry.class);
            assertThat(meters.get("koyeb.snapshots.retries").tag("reason", "503").counter().count()).isEqualTo(1);
            assertThat(meters.get("koyeb.snapshots.pages").counter().count()).isGreaterThanOrEqualTo(6);
            assertThat(meters.get("http.client.requests").tag("uri", "/v1/snapshots").timers()).isNotEmpty();
            assertThat(meters.get("http.client.requests").tag("uri", "/v1/snapshots/{id}").timers()).isNotEmpty();
            assertThat(meters.getMeters()).allSatisfy(m -> assertThat(m.getId().toString())
                    .doesNotContain(TOKEN).doesNotContain(created.id()));
        }
    }

    @Test
    void theFakeServerOutlivesApplicationContexts() {
        for (int round = 0; round < 2; round++) {
            try (ConfigurableApplicationContext app = run()) {
                assertThat(app.getBean(ReactiveSnapshotsClient.class).getSnapshot("snap-000001").block(TIMEOUT))
                        .isNotNull();
            }
        }
        try (ReactiveSnapshotsClient own = ReactiveSnapshotsClient.builder().baseUrl(koyeb.baseUrl()).token(TOKEN)
                .build()) {
            assertThat(own.getSnapshot("snap-000002").block(TIMEOUT)).isNotNull();
        }
    }

    @Test
    void anInvalidPropertyFailsStartUpNamingIt() {
        assertThatThrownBy(() -> run("--koyeb.snapshots.page-size=0").close())
                .satisfies(e -> {
                    StringBuilder messages = new StringBuilder();
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        messages.append(t.getMessage()).append('\n');
                    }
                    assertThat(messages.toString()).contains("koyeb.snapshots.page-size must be between 1 and 100");
                });
    }

    @Test
    void theIdeMetadataOfThePropertiesIsOnTheClassPath() throws Exception {
        // every Boot jar has such a file: find the library's
        StringBuilder ours = new StringBuilder();
        for (URL url : Collections.list(BootAppTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (text.contains("\"koyeb.snapshots.base-url\"")) {
                    ours.append(text);
                }
            }
        }
        assertThat(ours.toString()).contains("\"koyeb.snapshots.retry.max-retries\"")
                .contains("\"koyeb.snapshots.page-size\"");
    }

    @Test
    void everySpringReactorNettyAndJacksonArtifactIsAtTheVersionOfBootsBom() throws Exception {
        assertThat(DependencyVersions.mismatches(Path.of(System.getProperty("build.dir")), true)).isEmpty();
    }

    /** Every thread's stack, to the test's output: what a hang was waiting for. */
    private static void printThreads() {
        StringBuilder dump = new StringBuilder("threads at the timeout:\n");
        for (java.lang.management.ThreadInfo info : java.lang.management.ManagementFactory.getThreadMXBean()
                .dumpAllThreads(false, false)) {
            dump.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState()).append('\n');
            for (StackTraceElement frame : info.getStackTrace()) {
                dump.append("    at ").append(frame).append('\n');
            }
        }
        System.out.println(dump);
    }
}
