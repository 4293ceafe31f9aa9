package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.SnapshotPage;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Offset paging as a demand-driven {@code Flux<SnapshotPage>}.
 *
 * <p>Demand-aware: the request for a page is sent only when the subscriber has signalled demand
 * for a page that has not arrived yet, one page in flight at a time. The next page starts at
 * {@code offset + limit} of the page just received; paging ends after a page whose
 * {@code hasNext} is false or that is empty (a server that says {@code has_next} with no items
 * cannot make the client loop). Cancelling cancels the page request in flight.
 *
 * <p>Each page comes from {@code fetchPage}, which carries its own retries: a failed page is
 * tried again without touching the pages already emitted.
 */
final class Pager extends Flux<SnapshotPage> {

    private final LongFunction<Mono<SnapshotPage>> fetchPage;
    private final long startOffset;

    Pager(LongFunction<Mono<SnapshotPage>> fetchPage, long startOffset) {
        this.fetchPage = fetchPage;
        this.startOffset = startOffset;
    }

    @Override
    public void subscribe(CoreSubscriber<? super SnapshotPage> actual) {
        actual.onSubscribe(new PagingSubscription(actual, fetchPage, startOffset));
    }

    /** The state machine of one subscription; every transition runs in the serialized drain loop. */
    static final class PagingSubscription implements org.reactivestreams.Subscription {

        private static final AtomicLongFieldUpdater<PagingSubscription> REQUESTED =
                AtomicLongFieldUpdater.newUpdater(PagingSubscription.class, "requested");
        private static final AtomicIntegerFieldUpdater<PagingSubscription> WIP =
                AtomicIntegerFieldUpdater.newUpdater(PagingSubscription.class, "wip");

        private final CoreSubscriber<? super SnapshotPage> actual;
        private final LongFunction<Mono<SnapshotPage>> fetchPage;

        private volatile long requested;
        private volatile int wip;
        private volatile boolean cancelled;

        // written by the page request's callbacks, read by the drain loop
        private volatile @Nullable SnapshotPage arrived;
        private volatile @Nullable Throwable failed;

        // touched only inside the drain loop
        private long nextOffset;
        private boolean fetching;
        private boolean done;
        private @Nullable Disposable inFlight;

        PagingSubscription(CoreSubscriber<? super SnapshotPage> actual, LongFunction<Mono<SnapshotPage>> fetchPage,
                long startOffset) {
            this.actual = actual;
            this.fetchPage = fetchPage;
            this.nextOffset = startOffset;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                failed = new IllegalArgumentException("§3.9 violated: positive request amount required but it was " + n);
            } else {
                Operators.addCap(REQUESTED, this, n);
            }
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
            drain();
        }

        private void drain() {
            if (WIP.getAndIncrement(this) != 0) {
                return;
            }
            int missed = 1;
            for (;;) {
                if (done) {
                    return;
                }
                if (cancelled) {
                    done = true;
                    Disposable d = inFlight;
                    if (d != null) {
                        d.dispose();
                    }
                    arrived = null;
                    return;
                }
                Throwable error = failed;
                if (error != null) {
                    done = true;
                    Disposable d = inFlight;
                    if (d != null) {
                        d.dispose();
                    }
                    actual.onError(error);
                    return;
                }
                SnapshotPage page = arrived;
                if (page != null) {
                    // a page is fetched only against demand, and only onNext lowers demand: it is > 0 here
                    arrived = null;
                    fetching = false;
                    inFlight = null;
                    actual.onNext(page);
                    if (requested != Long.MAX_VALUE) {
                        REQUESTED.decrementAndGet(this);
                    }
                    if (!page.hasNext() || page.snapshots().isEmpty()) {
                        done = true;
                        actual.onComplete();
                        return;
                    }
                    nextOffset = page.offset() + page.limit();
                    continue;
                }
                if (!fetching && requested > 0) {
                    fetching = true;
                    Mono<SnapshotPage> fetch;
                    try {
                        fetch = fetchPage.apply(nextOffset);
                    } catch (RuntimeException e) {
                        failed = e;
                        continue;
                    }
                    PageSubscriber subscriber = new PageSubscriber(this);
                    inFlight = subscriber;
                    fetch.subscribe(subscriber);
                    continue;
                }
                missed = WIP.addAndGet(this, -missed);
                if (missed == 0) {
                    return;
                }
            }
        }
    }

    /** Receives one page request's outcome; runs in the subscriber's context (for tracing). */
    static final class PageSubscriber extends BaseSubscriber<SnapshotPage> {
        private final PagingSubscription parent;
        private boolean received;

        PageSubscriber(PagingSubscription parent) {
            this.parent = parent;
        }

        @Override
        public Context currentContext() {
            return parent.actual.currentContext();
        }

        @Override
        protected void hookOnNext(SnapshotPage page) {
            received = true;
            parent.arrived = page;
            parent.drain();
        }

        @Override
        protected void hookOnError(Throwable error) {
            parent.failed = error;
            parent.drain();
        }

        @Override
        protected void hookOnComplete() {
            if (!received) {
                parent.failed = new IllegalStateException("page request completed without a page");
                parent.drain();
            }
        }
    }
}
