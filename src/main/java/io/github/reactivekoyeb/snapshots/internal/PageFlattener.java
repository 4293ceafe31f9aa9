package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotPage;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Flattens pages into snapshots with exact demand: the next page is requested from upstream only
 * when the subscriber wants more snapshots than the current page has left. {@code take(5)} thus
 * sends one page request, where {@code flatMapIterable}'s prefetch would send two.
 *
 * <p>At most one page is held: the one being emitted.
 */
final class PageFlattener extends Flux<Snapshot> {

    private final Flux<SnapshotPage> pages;

    PageFlattener(Flux<SnapshotPage> pages) {
        this.pages = pages;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Snapshot> actual) {
        pages.subscribe(new FlattenSubscriber(actual));
    }

    static final class FlattenSubscriber implements CoreSubscriber<SnapshotPage>, Subscription {

        private static final AtomicLongFieldUpdater<FlattenSubscriber> REQUESTED =
                AtomicLongFieldUpdater.newUpdater(FlattenSubscriber.class, "requested");
        private static final AtomicIntegerFieldUpdater<FlattenSubscriber> WIP =
                AtomicIntegerFieldUpdater.newUpdater(FlattenSubscriber.class, "wip");

        private final CoreSubscriber<? super Snapshot> actual;

        private volatile long requested;
        private volatile int wip;
        private volatile boolean cancelled;
        private volatile boolean upstreamDone;
        private volatile @Nullable Throwable error;
        private volatile @Nullable SnapshotPage pending;
        private volatile @Nullable Throwable badRequest;

        // touched only inside the drain loop (and upstream only after onSubscribe)
        private @Nullable Subscription upstream;
        private List<Snapshot> current = List.of();
        private int index;
        private boolean pageRequested;
        private boolean terminated;

        FlattenSubscriber(CoreSubscriber<? super Snapshot> actual) {
            this.actual = actual;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                actual.onSubscribe(this);
            }
        }

        @Override
        public void onNext(SnapshotPage page) {
            pending = page;
            drain();
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            upstreamDone = true;
            drain();
        }

        @Override
        public void onComplete() {
            upstreamDone = true;
            drain();
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = new IllegalArgumentException("§3.9 violated: positive request amount required but it was " + n);
                Subscription s = upstream;
                if (s != null) {
                    s.cancel();
                }
            } else {
                Operators.addCap(REQUESTED, this, n);
            }
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
            Subscription s = upstream;
            if (s != null) {
                s.cancel();
            }
            drain();
        }

        private void drain() {
            if (WIP.getAndIncrement(this) != 0) {
                return;
            }
            int missed = 1;
            for (;;) {
                if (terminated) {
                    return;
                }
                if (cancelled) {
                    terminated = true;
                    current = List.of();
                    pending = null;
                    return;
                }
                Throwable invalid = badRequest;
                if (invalid != null) {
                    terminated = true;
                    current = List.of();
                    pending = null;
                    actual.onError(invalid);
                    return;
                }
                if (index == current.size()) {
                    SnapshotPage page = pending;
                    if (page != null) {
                        pending = null;
                        pageRequested = false;
                        current = page.snapshots();
                        index = 0;
                    }
                }
                long r = requested;
                long emitted = 0;
                while (emitted != r && index < current.size()) {
                    if (cancelled) {
                        break;
                    }
                    actual.onNext(current.get(index++));
                    emitted++;
                }
                if (emitted != 0 && r != Long.MAX_VALUE) {
                    REQUESTED.addAndGet(this, -emitted);
                }
                if (cancelled) {
                    continue;
                }
                boolean done = upstreamDone;
                boolean empty = index == current.size() && pending == null;
                if (empty && done) {
                    terminated = true;
                    current = List.of();
                    Throwable e = error;
                    if (e != null) {
                        actual.onError(e);
                    } else {
                        actual.onComplete();
                    }
                    return;
                }
                if (empty && !pageRequested && !done && requested > 0) {
                    pageRequested = true;
                    Subscription s = upstream;
                    if (s != null) {
                        s.request(1);
                    }
                    continue;
                }
                missed = WIP.addAndGet(this, -missed);
                if (missed == 0) {
                    return;
                }
            }
        }
    }
}
