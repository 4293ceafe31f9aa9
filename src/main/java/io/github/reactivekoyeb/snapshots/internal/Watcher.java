package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.ClientEventListener;
import io.github.reactivekoyeb.snapshots.KoyebForbiddenException;
import io.github.reactivekoyeb.snapshots.KoyebUnauthorizedException;
import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@link ReactiveSnapshotsClient#watchSnapshots}: consistent listings repeated at an interval, and
 * what differs between two of them. The state is one entry per snapshot watched: its id, and its
 * fields in a compact form ({@link SnapshotCodec}) to compare with the next pass and to report a
 * removal with the last state seen. Passes run one after the other, each after the subscriber took
 * the previous one's events; the waits are timers on {@link Schedulers#parallel()}.
 */
public final class Watcher {

    private static final Log log = LogFactory.getLog("io.github.reactivekoyeb.snapshots.watch");

    private Watcher() {
    }

    /** What a watch knows of one snapshot: its fields as last seen, and the pass that saw it. */
    private static final class Entry {
        byte[] fields;
        int pass;

        Entry(byte[] fields, int pass) {
            this.fields = fields;
            this.pass = pass;
        }
    }

    /**
     * The watch; see {@link ReactiveSnapshotsClient#watchSnapshots}.
     *
     * @param client the client to list with
     * @param request the listing
     * @param interval the wait between two passes
     * @param listener told of each pass and event
     * @return the cold watch
     */
    public static Flux<SnapshotEvent> watch(ReactiveSnapshotsClient client, ListSnapshotsRequest request,
            Duration interval, ClientEventListener listener) {
        Objects.requireNonNull(request, "request");
        Checks.positive(interval, "interval");
        ListSnapshotsRequest consistent = request.toBuilder().consistent(true).build();
        return Flux.defer(() -> {
            Map<String, Entry> known = new HashMap<>();
            AtomicInteger passes = new AtomicInteger();
            return Flux.defer(() -> pass(client.listSnapshots(consistent), known, passes.incrementAndGet(), listener))
                    .repeatWhen(ends -> ends.concatMap(end -> Mono.delay(interval, Schedulers.parallel())));
        });
    }

    /** One pass: what it reads that is new or changed, then, if it read everything, what is gone. */
    private static Flux<SnapshotEvent> pass(Flux<Snapshot> listing, Map<String, Entry> known, int pass,
            ClientEventListener listener) {
        AtomicInteger events = new AtomicInteger();
        Flux<SnapshotEvent> seen = listing.handle((snapshot, sink) -> {
            String id = snapshot.id();
            if (id == null) {
                return;
            }
            byte[] fields = SnapshotCodec.encode(snapshot);
            Entry entry = known.get(id);
            if (entry == null) {
                known.put(id, new Entry(fields, pass));
                sink.next(new SnapshotEvent(SnapshotEvent.Type.ADDED, snapshot));
            } else {
                entry.pass = pass;
                if (!Arrays.equals(entry.fields, fields)) {
                    entry.fields = fields;
                    sink.next(new SnapshotEvent(SnapshotEvent.Type.MODIFIED, snapshot));
                }
            }
        });
        Flux<SnapshotEvent> removed = Flux.defer(() -> {
            List<SnapshotEvent> gone = new ArrayList<>();
            for (Iterator<Map.Entry<String, Entry>> it = known.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Entry> e = it.next();
                if (e.getValue().pass != pass) {
                    gone.add(new SnapshotEvent(SnapshotEvent.Type.REMOVED, SnapshotCodec.decode(e.getKey(),
                            e.getValue().fields)));
                    it.remove();
                }
            }
            return Flux.fromIterable(gone);
        });
        return seen.concatWith(removed)
                .doOnNext(event -> {
                    events.incrementAndGet();
                    listener.onWatchEvent(event.type());
                })
                .doOnComplete(() -> listener.onWatchPass(true, events.get()))
                .onErrorResume(e -> !(e instanceof KoyebUnauthorizedException || e instanceof KoyebForbiddenException),
                        e -> {
                            // what the pass could not confirm (the removals) waits for a complete pass
                            if (log.isDebugEnabled()) {
                                log.debug("watch pass " + pass + " failed, the next one follows: " + e);
                            }
                            listener.onWatchPass(false, events.get());
                            return Mono.empty();
                        });
    }
}
