package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.SnapshotPage;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.LongFunction;
import java.util.function.Supplier;
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
 * connection: see {@code ExchangeCut}). Each page comes from its {@link Policy}'s fetch, which
 * carries its own retries: a failed page is tried again without touching the others; its error is
 * emitted when its turn comes.
 *
 * <p>What a page means is its {@link Policy}'s to say: plain offset paging ({@link #plain}) emits
 * each page as it is; a consistent listing ({@code ConsistentPaging}) reads overlapping pages and
 * emits only what is new to it, and may send a repair request instead of the next page.
 */
final class Pager extends Flux<SnapshotPage> {

    /**
     * What a listing does with the pages it fetches: where it starts, how far apart read-ahead
     * guesses are, and what each arrived page means (what to emit, where to go next, whether it is
     * done). One instance per subscription; called only from the drain loop, one page at a time, in
     * offset order.
     */
    interface Policy {
        /** The offset of the first request. */
        long firstOffset();

        /** The request for the page at this offset. */
        Mono<SnapshotPage> fetch(long offset);

        /** How far apart read-ahead requests are: the offset of a guess after the one at {@code offset}. */
        long guessAfter(long offset);

        /**
         * What the page that arrived for the request at {@code requested} means.
         *
         * @throws RuntimeException to end the listing with that error
         */
        Step onPage(long requested, SnapshotPage page);
    }

    /**
     * The outcome of one page: the page to emit (null for none), the offset of the request after
     * it, and whether the listing is done after it.
     */
    record Step(@Nullable SnapshotPage emit, long next, boolean done) {
    }

    /** Plain offset paging: every page as it is, the next at {@code offset + limit}. */
    static Supplier<Policy> plain(LongFunction<Mono<SnapshotPage>> fetchPage, long startOffset, int pageSize) {
        Policy plain = new Policy() {
            @Override
            public long firstOffset() {
                return startOffset;
            }

            @Override
            public Mono<SnapshotPage> fetch(long offset) {
                return fetchPage.apply(offset);
            }

            @Override
            public long guessAfter(long offset) {
                return offset + pageSize;
            }

            @Override
            public Step onPage(long requested, SnapshotPage page) {
                return new Step(page, page.offset() + page.limit(), !page.hasNext() || page.snapshots().isEmpty());
            }
        };
        return () -> plain;
    }

    private final Supplier<Policy> policies;
    private final int readAhead;

    Pager(Supplier<Policy> policies, int readAhead) {
        this.policies = policies;
        this.readAhead = readAhead;
    }

    @Override
    public void subscribe(CoreSubscriber<? super SnapshotPage> actual) {
        actual.onSubscribe(new PagingSubscription(actual, policies.get(), readAhead));
    }

    /** The state machine of one subscription; every transition runs in the serialized drain loop. */
    static final class PagingSubscription implements Subscription {

        private static final AtomicLongFieldUpdater<PagingSubscription> REQUESTED =
                AtomicLongFieldUpdater.newUpdater(PagingSubscription.class, "requested");
        private static final AtomicIntegerFieldUpdater<PagingSubscription> WIP =
                AtomicIntegerFieldUpdater.newUpdater(PagingSubscription.class, "wip");

        private final CoreSubscriber<? super SnapshotPage> actual;
        private final Policy policy;
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

        PagingSubscription(CoreSubscriber<? super SnapshotPage> actual, Policy policy, int readAhead) {
            this.actual = actual;
            this.policy = policy;
            this.readAhead = readAhead;
            this.nextOffset = policy.firstOffset();
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
                Step step;
                try {
                    step = policy.onPage(head.offset, page);
                } catch (RuntimeException e) {
                    finish();
                    actual.onError(e);
                    return true;
                }
                SnapshotPage emitted = step.emit();
                if (emitted != null) {
                    actual.onNext(emitted);
                    if (requested != Long.MAX_VALUE) {
                        REQUESTED.decrementAndGet(this);
                    }
                }
                if (step.done()) {
                    finish();
                    actual.onComplete();
                    return true;
                }
                PageSlot following = slots.peek();
                long predictedNext = following != null ? following.offset : nextOffset;
                if (step.next() != predictedNext) {
                    // the server did not page as predicted: drop the guesses, follow the reply
                    cancelAll();
                    nextOffset = step.next();
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
                    fetch = policy.fetch(offset);
                } catch (RuntimeException e) {
                    badRequest = e;
                    return;
                }
                PageSlot slot = new PageSlot(this, offset);
                slots.add(slot);
                // with read-ahead the next offset is predicted; without it, it comes from the reply
                nextOffset = readAhead == 0 ? offset : policy.guessAfter(offset);
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
