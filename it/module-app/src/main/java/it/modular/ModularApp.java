package it.modular;

import io.github.reactivekoyeb.snapshots.CreateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.KoyebNotFoundException;
import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.testing.FakeKoyebServer;
import java.time.Duration;
import java.util.List;

/**
 * Runs on the module path: the library must be the automatic module io.github.reactivekoyeb.snapshots
 * and work there (JSON, HTTP, typed errors). Exits non-zero, failing the build, on any difference.
 */
public final class ModularApp {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private ModularApp() {
    }

    public static void main(String[] args) {
        Module library = ReactiveSnapshotsClient.class.getModule();
        check(library.isNamed() && library.getName().equals("io.github.reactivekoyeb.snapshots"),
                "the library is the named module io.github.reactivekoyeb.snapshots, not " + library);
        check(library.getDescriptor().isAutomatic(), "the library is an automatic module");
        check(ModularApp.class.getModule().getName().equals("it.modular"), "this application is a named module");

        try (FakeKoyebServer server = FakeKoyebServer.start()) {
            ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder()
                    .baseUrl(server.baseUrl())
                    .token("module-path-token")
                    .build();
            Snapshot created = client.createSnapshot(CreateSnapshotRequest.of("vol-modular", "from-a-module"))
                    .block(TIMEOUT);
            check(created != null && "from-a-module".equals(created.name()), "created " + created);
            List<Snapshot> listed = client.listSnapshots(ListSnapshotsRequest.builder().build())
                    .collectList().block(TIMEOUT);
            check(listed != null && listed.size() == 1 && listed.get(0).id().equals(created.id()), "listed " + listed);
            try {
                client.getSnapshot("no-such-snapshot").block(TIMEOUT);
                check(false, "a missing snapshot gives an error");
            } catch (KoyebNotFoundException expected) {
                check(expected.statusCode() == 404, "404 as KoyebNotFoundException");
            }
            System.out.println("module path: " + library.getName() + " (automatic) created and listed "
                    + listed.size() + " snapshot, typed 404; Java " + Runtime.version());
        }
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            System.err.println("FAILED on the module path: " + what);
            System.exit(1);
        }
    }
}
