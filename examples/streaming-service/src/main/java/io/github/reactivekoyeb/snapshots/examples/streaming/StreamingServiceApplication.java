package io.github.reactivekoyeb.snapshots.examples.streaming;

import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * A Spring Boot WebFlux service that streams Koyeb snapshot listings to its own HTTP clients,
 * with the auto-configured {@code ReactiveSnapshotsClient}.
 *
 * <p>With {@code KOYEB_API_TOKEN} (or {@code koyeb.snapshots.token}) it talks to the real API.
 * Without, it starts the library's fake Koyeb server with 5,000 generated snapshots and points
 * the client at it, so that one command runs it anywhere:
 * {@code mvn -q -Pstreaming test-compile exec:java}, then
 * {@code curl -N 'http://localhost:8080/snapshots?status=AVAILABLE&region=fra'}.
 */
@SpringBootApplication
public class StreamingServiceApplication {

    static final String FAKE_TOKEN = "local-fake-koyeb-token";

    public static void main(String[] args) {
        run(args);
    }

    /**
     * Starts the service; with no token configured, against a fake Koyeb server it starts first.
     *
     * @param args Spring Boot arguments, e.g. {@code --server.port=0}
     * @return the running application
     */
    public static ConfigurableApplicationContext run(String... args) {
        SpringApplication application = new SpringApplication(StreamingServiceApplication.class);
        if (!tokenConfigured(args)) {
            FakeKoyebServer fake = FakeKoyebServer.builder().token(FAKE_TOKEN).build();
            fake.seed(5000);
            System.out.println("No KOYEB_API_TOKEN: serving from a fake Koyeb API at " + fake.baseUrl() + " with "
                    + fake.snapshots().size() + " snapshots");
            application.setDefaultProperties(Map.of(
                    "koyeb.snapshots.base-url", fake.baseUrl(),
                    "koyeb.snapshots.token", FAKE_TOKEN));
            application.addListeners(event -> {
                if (event instanceof ContextClosedEvent) {
                    fake.close();
                }
            });
        }
        return application.run(args);
    }

    private static boolean tokenConfigured(String[] args) {
        String env = System.getenv("KOYEB_API_TOKEN");
        String property = System.getProperty("koyeb.snapshots.token");
        return (env != null && !env.isBlank()) || (property != null && !property.isBlank())
                || Arrays.stream(args).anyMatch(a -> a.startsWith("--koyeb.snapshots.token=")
                        && a.length() > "--koyeb.snapshots.token=".length());
    }
}
