package io.github.reactivekoyeb.snapshots.examples.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.SnapshotType;
import io.github.reactivekoyeb.snapshots.support.NotInstalled;
import io.github.reactivekoyeb.snapshots.support.Slow;
import io.github.reactivekoyeb.snapshots.support.TestSecrets;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The streaming example's page in a real browser: Debian's Chromium, headless, driven through
 * chromedriver's WebDriver protocol over plain HTTP (no browser download, no test library). The
 * page shows the snapshots of {@code GET /snapshots/changes}; the test creates, renames and deletes
 * snapshots on the fake server and reads what the page shows. It leaves a screenshot in
 * {@code target/streaming-page.png} ({@code -Dscreenshot.to=docs/images/streaming-page.png} puts it
 * in the docs). In the {@link Slow} group. Where Chromium or chromedriver is not installed, its test
 * is reported skipped with the one line that says what to install ({@code .ci/run} installs both).
 */
@Slow
class StreamingPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FakeKoyebServer koyeb;
    private static ConfigurableApplicationContext app;
    private static Process driver;
    private static String driverUrl;
    private static HttpClient http;

    private static final String MISSING = "StreamingPageBrowserTest needs Chromium and chromedriver:"
            + " apt-get install chromium chromium-driver (.ci/run does)";

    private static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @BeforeAll
    static void start() throws Exception {
        if (!installed()) {
            return; // each test is then reported skipped, with the reason (an abort here would report none)
        }
        koyeb = FakeKoyebServer.builder().token(TestSecrets.TOKEN).build();
        koyeb.seed(6);
        app = StreamingServiceApplication.run("--server.port=0", "--koyeb.snapshots.base-url=" + koyeb.baseUrl(),
                "--koyeb.snapshots.token=" + TestSecrets.TOKEN, "--spring.main.banner-mode=off");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        driverUrl = "http://127.0.0.1:" + port;
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        waitUntil(() -> call("GET", "/status", null).path("value").path("ready").asBoolean(false), "chromedriver");
    }

    @BeforeEach
    void needsTheBrowser() {
        NotInstalled.assumeInstalled(installed(), MISSING);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.destroy();
        }
        if (app != null) {
            app.close();
        }
        if (koyeb != null) {
            koyeb.close();
        }
    }

    @Test
    void thePageShowsTheSnapshotsLiveAsTheyAreCreatedRenamedAndDeleted() throws Exception {
        Path profile = Files.createTempDirectory("chromium-profile");
        JsonNode created = call("POST", "/session", Map.of("capabilities", Map.of("alwaysMatch", Map.of(
                "browserName", "chrome",
                "goog:chromeOptions", Map.of("binary", CHROMIUM.toString(), "args", List.of("--headless=new",
                        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--window-size=900,520", "--user-data-dir=" + profile))))));
        String session = "/session/" + created.path("value").path("sessionId").asText();
        try {
            int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            call("POST", session + "/url", Map.of("url", "http://127.0.0.1:" + port + "/?intervalMillis=200"));
            waitForPage(session, rows -> rows.size() == 6, "the six seeded snapshots");

            koyeb.put(new Snapshot("snap-live", "created-while-watched", 42L, null, null, null, "org-fake", "vol-9",
                    "was", SnapshotStatus.CREATING, SnapshotType.LOCAL));
            waitForPage(session, rows -> rows.contains("snap-live|created-while-watched|CREATING|was"),
                    "the snapshot created");

            Snapshot second = koyeb.snapshot("snap-000002").orElseThrow();
            koyeb.put(new Snapshot(second.id(), "renamed-while-watched", second.size(), second.createdAt(),
                    second.updatedAt(), null, second.organizationId(), second.parentVolumeId(), second.region(),
                    SnapshotStatus.AVAILABLE, second.type()));
            waitForPage(session, rows -> rows.contains("snap-000002|renamed-while-watched|AVAILABLE|" + second.region()),
                    "the snapshot renamed");

            koyeb.remove("snap-000004");
            List<String> rows = waitForPage(session, r -> r.size() == 6 && r.stream().noneMatch(
                    row -> row.startsWith("snap-000004|")), "the snapshot deleted");
            assertThat(rows).contains("snap-000001|snapshot-1|AVAILABLE|was", "snap-live|created-while-watched|CREATING|was");

            byte[] png = Base64.getDecoder().decode(call("GET", session + "/screenshot", null).path("value").asText());
            Files.write(Path.of("target", "streaming-page.png"), png);
            String copy = System.getProperty("screenshot.to");
            if (copy != null) {
                Files.write(Path.of(copy), png);
            }
            assertThat(png.length).isGreaterThan(1_000);
        } finally {
            call("DELETE", session, null);
        }
    }

    /** The table's rows as {@code id|name|status|region}, once the condition holds (at most 10 s). */
    private static List<String> waitForPage(String session, Predicate<List<String>> condition, String what)
            throws Exception {
        String script = "return Array.from(document.querySelectorAll('#snapshots tr'))"
                + ".map(r => Array.from(r.children).map(c => c.textContent).join('|'));";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> rows = List.of();
        while (System.nanoTime() < deadline) {
            JsonNode value = call("POST", session + "/execute/sync", Map.of("script", script, "args", List.of()))
                    .path("value");
            rows = JSON.convertValue(value, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
            if (condition.test(rows)) {
                return rows;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the page never showed " + what + "; it shows " + rows);
    }

    private static JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(driverUrl + path)).timeout(Duration.ofSeconds(30));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode reply = JSON.readTree(response.body());
        if (response.statusCode() != 200) {
            throw new AssertionError("chromedriver " + method + " " + path + " -> " + response.statusCode() + ": " + reply);
        }
        return reply;
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Check check, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (Exception notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + " did not start within 15 s");
    }
}
