package io.github.reactivekoyeb.snapshots.examples;

import io.github.reactivekoyeb.snapshots.CreateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.KoyebApiException;
import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotPage;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.UpdateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.WaitOptions;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The whole life of a snapshot with koyeb-snapshots-reactive: create it, watch it until it is
 * {@code AVAILABLE}, list snapshots lazily page by page with filters, rename it, delete it and
 * wait until it is {@code DELETED}, and see a 503 being retried.
 *
 * <p>Without {@code KOYEB_API_TOKEN} it starts the library's {@link FakeKoyebServer} on
 * 127.0.0.1 and runs against it. With a token it runs against the real API and only lists,
 * unless it is given {@code --allow-changes --volume <volume-id>}.
 *
 * <p>Run it with {@code mvn -q -Pexample test-compile exec:java} (see the README).
 */
public final class SnapshotLifecycleExample {

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);

    private SnapshotLifecycleExample() {
    }

    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.out);
        System.exit(status);
    }

    /**
     * Runs the example; {@code main} without the exit, for tests.
     *
     * @return the exit status
     */
    public static int run(String[] args, Map<String, String> env, PrintStream out) {
        List<String> flags = Arrays.asList(args);
        String token = env.get("KOYEB_API_TOKEN");
        if (token == null || token.isBlank()) {
            return runAgainstFakeServer(out);
        }
        String baseUrl = env.getOrDefault("KOYEB_API_URL", ReactiveSnapshotsClient.DEFAULT_BASE_URL);
        int volumeFlag = flags.indexOf("--volume");
        String volume = volumeFlag >= 0 && volumeFlag + 1 < flags.size() ? flags.get(volumeFlag + 1) : null;
        try (ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(baseUrl).token(token).build()) {
            out.println("Using the Koyeb API at " + baseUrl);
            listPages(client, ListSnapshotsRequest.builder().pageSize(20).build(), 3, out);
            if (!flags.contains("--allow-changes")) {
                out.println("Listing only: pass --allow-changes --volume <volume-id> to create, rename and delete a snapshot.");
                return 0;
            }
            if (volume == null) {
                out.println("--allow-changes needs --volume <volume-id>: the volume to snapshot.");
                return 2;
            }
            lifecycle(client, volume, out);
            return 0;
        } catch (KoyebApiException e) {
            out.println("The API refused: " + e.getMessage());
            return 1;
        }
    }

    private static int runAgainstFakeServer(PrintStream out) {
        out.println("KOYEB_API_TOKEN is not set: running against the fake Koyeb server of the library.");
        String token = "example-token-lifecycle";
        try (FakeKoyebServer server = FakeKoyebServer.builder().token(token)
                .creationDelay(Duration.ofSeconds(1)).deletionDelay(Duration.ofMillis(500)).build();
             ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder().baseUrl(server.baseUrl())
                     .token(token).build()) {
            server.seed(250);
            out.println("Fake server at " + server.baseUrl() + " with " + server.snapshots().size() + " snapshots.");

            Snapshot created = lifecycle(client, "vol-example", out);
            server.put(created); // bring it back, as AVAILABLE, for the retry demonstration

            out.println();
            out.println("== A 503 (Retry-After: 1) is retried by the client ==");
            server.clearRequests();
            server.failNext(1, 503, "1");
            long start = System.nanoTime();
            Snapshot again = client.getSnapshot(created.id()).block(STEP_TIMEOUT);
            out.printf("getSnapshot emitted %s after %d requests (%s) in %d ms%n", again.id(), server.requestCount(),
                    server.requests().stream().map(r -> r.method() + " " + r.path()).toList(),
                    (System.nanoTime() - start) / 1_000_000);
        }
        return 0;
    }

    /** Create, wait until available, list with filters, rename, delete. */
    private static Snapshot lifecycle(ReactiveSnapshotsClient client, String volumeId, PrintStream out) {
        out.println();
        out.println("== Create a snapshot of " + volumeId + " ==");
        Snapshot created = client.createSnapshot(CreateSnapshotRequest.of(volumeId, "example-snapshot"))
                .block(STEP_TIMEOUT);
        out.println("created " + describe(created));

        out.println();
        out.println("== Watch it until it is AVAILABLE (polls every 0.5 s, non-blocking) ==");
        Snapshot available = client.watchSnapshot(created.id(), WaitOptions.builder()
                        .initialInterval(Duration.ofMillis(500)).backoffFactor(1.0).timeout(STEP_TIMEOUT).build())
                .doOnNext(s -> out.println("  watched: " + s.status()))
                .last()
                .block(STEP_TIMEOUT);
        if (available.status() != SnapshotStatus.AVAILABLE) {
            throw new IllegalStateException("snapshot ended up " + available.status());
        }
        out.println("available " + describe(available));

        out.println();
        out.println("== List AVAILABLE snapshots in " + available.region() + ", lazily, 3 pages of 20 ==");
        listPages(client, ListSnapshotsRequest.builder().statuses(SnapshotStatus.AVAILABLE).region(available.region())
                .pageSize(20).build(), 3, out);

        out.println();
        out.println("== Rename it ==");
        Snapshot renamed = client.updateSnapshot(created.id(), new UpdateSnapshotRequest("example-snapshot-renamed"))
                .block(STEP_TIMEOUT);
        out.println("renamed " + describe(renamed));

        out.println();
        out.println("== Delete it, and wait until it is DELETED ==");
        client.deleteSnapshotAndAwait(created.id(), STEP_TIMEOUT).block(STEP_TIMEOUT);
        out.println("deleted " + created.id() + " (now " + client.getSnapshot(created.id())
                .map(s -> String.valueOf(s.status())).onErrorReturn("gone").block(STEP_TIMEOUT) + ")");
        return created;
    }

    private static void listPages(ReactiveSnapshotsClient client, ListSnapshotsRequest request, int pages,
            PrintStream out) {
        client.listSnapshotPages(request)
                .take(pages)
                .doOnNext(page -> out.println(describe(page)))
                .then()
                .block(STEP_TIMEOUT);
    }

    private static String describe(SnapshotPage page) {
        List<Snapshot> items = page.snapshots();
        return String.format("  page offset=%d limit=%d items=%d hasNext=%s first=%s last=%s", page.offset(),
                page.limit(), items.size(), page.hasNext(), items.isEmpty() ? "-" : items.get(0).id(),
                items.isEmpty() ? "-" : items.get(items.size() - 1).id());
    }

    private static String describe(Snapshot s) {
        return s.id() + " name=" + s.name() + " status=" + s.status() + " region=" + s.region() + " size=" + s.size();
    }
}
