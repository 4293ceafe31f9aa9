package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.SnapshotPage;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Offset paging as a demand-driven {@code Flux<SnapshotPage>}, with optional ordered read-ahead.
 *
 * <p><b>Read-ahead 0</b> (the default): the request for a page is sent only when the subscriber
 * has signalled demand for a page that has not arrived yet, one page in flight at a time, and the
 * next page starts at {@code offset + limit} of the page just received.
 *
 * <p><b>Read-ahead k &gt; 0</b>: from the first demand on, up to {@code k} page requests are kept
 * in flight (or arrived and not yet emitted), at the offsets that follow from the page size; pages
 * are emitted in offset order whatever order they arrive in. When a page reports another
 * {@code offset + limit} than predicted (the server capped the page size, say), the requests made
 * on the wrong prediction are cancelled and paging goes on from the reported offset.
 *
 * <p>Either way, paging ends after a page whose {@code hasNext} is false or that is empty (a
 * server that says {@code has_next} with no items cannot make the client loop); pages fetched
 * beyond it are cancelled or dropped, never emitted. Cancelling cancels every page request in
 * flight, and no further one is sent (the exchanger cuts an HTTP exchange in flight by closing its
 * connection: see {@code ExchangeCut}). Each page comes from {@code fetchPage}, which carries its own retries: a failed page is
 * tried again without touching the others; its error is emitted when its turn comes.
 */
final class Pager extends Flux<SnapshotPage> {

    private final LongFunction<Mono<SnapshotPage>> fetchPage;
    private final long startOffset;
    private final int pageSize;
    private final int readAhead;

    Pager(LongFunction<Mono<SnapshotPage>> fetchPage, long startOffset, int pageSize, int readAhead) {
        this.fetchPage = fetchPage;
        this.startOffset = startOffset;
        this.pageSize = pageSize;
        this.readAhead = readAhead;
    }

    @Override
    public void subscribe(CoreSubscriber<? super SnapshotPage> actual) {
        actual.onSubscribe(new PagingSubscription(actual, this));
    }

    /** The state machine of one subscription; every transition runs in the serialized drain loop. */
    static final class PagingSubscription implements Subscription {

        private static final AtomicLongFieldUpdater<PagingSubscription> REQUESTED =
                AtomicLongFieldUpdater.newUpdater(PagingSubscription.class, "requested");
        private static final AtomicIntegerFieldUpdater<PagingSubscription> WIP =
                AtomicIntegerFieldUpdater.newUpdater(PagingSubscription.class, "wip");

        private final CoreSubscriber<? super SnapshotPage> actual;
        private final LongFunction<Mono<SnapshotPage>> fetchPage;
        private final int pageSize;
        private final int readAhead;

        private volatile long requested;
        private volatile int wip;
        private volatile boolean cancelled;
        private volatile @Nullable Throwable badRequest;

        // touched only inside the drain loop
        private final ArrayDeque<PageSlot> slots = new ArrayDeque<>();
        private long nextOffset;
        private boolean activated;
        private boolean done;

        PagingSubscription(CoreSubscriber<? super SnapshotPage> actual, Pager pager) {
            this.actual = actual;
            this.fetchPage = pager.fetchPage;
            this.pageSize = pager.pageSize;
            this.readAhead = pager.readAhead;
            this.nextOffset = pager.startOffset;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = new IllegalArgumentException("§3.9 violated: positive request amount required but it was " + n);
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

        void drain() {
            if (WIP.getAndIncrement(this) != 0) {
                return;
            }
            int missed = 1;
            for (;;) {
                if (done) {
                    return;
                }
                if (cancelled) {
                    finish();
                    return;
                }
                Throwable invalid = badRequest;
                if (invalid != null) {
                    finish();
                    actual.onError(invalid);
                    return;
                }
                if (emitHead()) {
                    return;
                }
                launch();
                if (badRequest != null) {
                    continue;
                }
                missed = WIP.addAndGet(this, -missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        /** Emits the pages at the head that have arrived, while there is demand; true once terminated. */
        private boolean emitHead() {
            for (PageSlot head = slots.peek(); head != null; head = slots.peek()) {
                Throwable error = head.failed;
                if (error != null) {
                    finish();
                    actual.onError(error);
                    return true;
                }
                SnapshotPage page = head.arrived;
                if (page == null || requested == 0) {
                    return false;
                }
                slots.poll();
                actual.onNext(page);
                if (requested != Long.MAX_VALUE) {
                    REQUESTED.decrementAndGet(this);
                }
                if (!page.hasNext() || page.snapshots().isEmpty()) {
                    finish();
                    actual.onComplete();
                    return true;
                }
                long reportedNext = page.offset() + page.limit();
                PageSlot following = slots.peek();
                long predictedNext = following != null ? following.offset : nextOffset;
                if (reportedNext != predictedNext) {
                    // the server did not page as predicted: drop the guesses, follow the reply
                    cancelAll();
                    nextOffset = reportedNext;
                }
            }
            return false;
        }

        /** Sends page requests up to what demand and read-ahead allow. */
        private void launch() {
            if (requested > 0) {
                activated = true;
            }
            int target = readAhead == 0 ? (requested > 0 ? 1 : 0) : (activated ? readAhead : 0);
            while (slots.size() < target && !cancelled) {
                Mono<SnapshotPage> fetch;
                long offset = nextOffset;
                try {
                    fetch = fetchPage.apply(offset);
                } catch (RuntimeException e) {
                    badRequest = e;
                    return;
                }
                PageSlot slot = new PageSlot(this, offset);
                slots.add(slot);
                // with read-ahead the next offset is predicted; without it, it comes from the reply
                nextOffset = readAhead == 0 ? offset : offset + pageSize;
                fetch.subscribe(slot);
            }
        }

        private void finish() {
            done = true;
            cancelAll();
        }

        private void cancelAll() {
            for (PageSlot slot; (slot = slots.poll()) != null; ) {
                slot.dispose();
                slot.arrived = null;
            }
        }
    }

    /** One page request in flight, and its outcome once it arrives; runs in the subscriber's context. */
    static final class PageSlot extends BaseSubscriber<SnapshotPage> {
        private final PagingSubscription parent;
        final long offset;
        volatile @Nullable SnapshotPage arrived;
        volatile @Nullable Throwable failed;
        private boolean received;

        PageSlot(PagingSubscription parent, long offset) {
            this.parent = parent;
            this.offset = offset;
        }

        @Override
        public Context currentContext() {
            return parent.actual.currentContext();
        }

        @Override
        protected void hookOnNext(SnapshotPage page) {
            received = true;
            arrived = page;
            parent.drain();
        }

        @Override
        protected void hookOnError(Throwable error) {
            failed = error;
            parent.drain();
        }

        @Override
        protected void hookOnComplete() {
            if (!received) {
                failed = new IllegalStateException("page request completed without a page");
                parent.drain();
            }
        }
    }
}
