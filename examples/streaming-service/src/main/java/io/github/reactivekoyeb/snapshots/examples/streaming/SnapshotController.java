package io.github.reactivekoyeb.snapshots.examples.streaming;

import io.github.reactivekoyeb.snapshots.CreateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.WaitOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Snapshots over HTTP. The listing is the client's lazy {@code Flux}, written straight to the
 * response: WebFlux requests more snapshots only as the socket drains, so a slow HTTP client
 * slows paging, and a client that disconnects cancels it (no further page is fetched).
 */
@RestController
class SnapshotController {

    private final ReactiveSnapshotsClient client;

    SnapshotController(ReactiveSnapshotsClient client) {
        this.client = client;
    }

    /** {@code GET /snapshots?status=AVAILABLE&region=fra}, as NDJSON or, when asked, server-sent events. */
    @GetMapping(path = "/snapshots", produces = {MediaType.APPLICATION_NDJSON_VALUE, MediaType.TEXT_EVENT_STREAM_VALUE})
    Flux<Snapshot> list(@RequestParam(name = "status", required = false) List<String> statuses,
            @RequestParam(name = "region", required = false) String region) {
        ListSnapshotsRequest.Builder request = ListSnapshotsRequest.builder().region(region);
        if (statuses != null && !statuses.isEmpty()) {
            request.statuses(statuses.stream().map(SnapshotController::status).toList());
        }
        return client.listSnapshots(request.build());
    }

    /**
     * {@code GET /snapshots/changes}: the listing watched ({@code watchSnapshots}), as server-sent
     * events whose name is the change ({@code ADDED}, {@code MODIFIED}, {@code REMOVED}), whose id
     * is the snapshot's and whose data is the snapshot. A browser's {@code EventSource} reads it
     * (see {@code static/index.html}); a client that hangs up ends the watch.
     */
    @GetMapping(path = "/snapshots/changes", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Snapshot>> changes(@RequestParam(name = "status", required = false) List<String> statuses,
            @RequestParam(name = "region", required = false) String region,
            @RequestParam(name = "intervalMillis", defaultValue = "2000") long intervalMillis) {
        ListSnapshotsRequest.Builder request = ListSnapshotsRequest.builder().region(region);
        if (statuses != null && !statuses.isEmpty()) {
            request.statuses(statuses.stream().map(SnapshotController::status).toList());
        }
        return client.watchSnapshots(request.build(), Duration.ofMillis(intervalMillis))
                .map(event -> ServerSentEvent.builder(event.snapshot()).event(event.type().name())
                        .id(event.snapshot().id()).build());
    }

    @GetMapping("/snapshots/{id}")
    Mono<Snapshot> get(@PathVariable("id") String id) {
        return client.getSnapshot(id);
    }

    /** {@code GET /snapshots/{id}/progress}: each state of the snapshot until it settles, as server-sent events. */
    @GetMapping(path = "/snapshots/{id}/progress", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<Snapshot> progress(@PathVariable("id") String id) {
        return client.watchSnapshot(id, WaitOptions.builder().initialInterval(Duration.ofMillis(250))
                .maxInterval(Duration.ofSeconds(5)).timeout(Duration.ofMinutes(10)).build());
    }

    @PostMapping("/snapshots")
    Mono<ResponseEntity<Snapshot>> create(@RequestBody CreateSnapshotRequest request) {
        return client.createSnapshot(request)
                .map(created -> ResponseEntity.created(URI.create("/snapshots/" + created.id())).body(created));
    }

    @DeleteMapping("/snapshots/{id}")
    Mono<Snapshot> delete(@PathVariable("id") String id) {
        return client.deleteSnapshot(id);
    }

    /** {@code AVAILABLE}, {@code available} or {@code SNAPSHOT_STATUS_AVAILABLE}. */
    private static SnapshotStatus status(String value) {
        String name = value.trim().toUpperCase(Locale.ROOT);
        SnapshotStatus status = SnapshotStatus.fromWireValue(name);
        if (status == SnapshotStatus.UNKNOWN) {
            status = SnapshotStatus.fromWireValue("SNAPSHOT_STATUS_" + name);
        }
        if (status == null || status == SnapshotStatus.UNKNOWN) {
            throw new IllegalArgumentException("unknown status '" + value + "'; one of " + SnapshotStatus.knownValues());
        }
        return status;
    }
}
