package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotPage;
import io.github.reactivekoyeb.snapshots.support.Slow;
import java.util.List;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.SkipException;
import org.testng.annotations.Test;
import reactor.core.publisher.Mono;

/**
 * The Reactive Streams TCK against {@link Pager}: one page per element, pages served from
 * memory (the HTTP side is covered by the other tests), some synchronously and some on another
 * thread so that both orders of arrival are exercised (that thread is a bounded-elastic one: the
 * TCK's own subscriber takes a lock, which BlockHound refuses on a non-blocking thread when it is
 * contended). Its two longest specs are in the {@link Slow} group, the everyday suite runs the
 * others: 1.01 (0.9 s, three waits for the absence of a signal) and 3.12 (4.5 s: the 15 pages
 * requested arrive synchronously before the cancel, and the TCK sleeps its 300 ms no-signal wait
 * once for each it then finds, 15 times).
 */
public class PagerTckTest extends PublisherVerification<SnapshotPage> {

    public PagerTckTest() {
        super(environment());
    }

    /**
     * The TCK's timeouts for both TCK classes. A signal the TCK expects may take up to 5 s: that
     * bound is only reached when the signal never comes, and a GC pause or a starved scheduler
     * thread on a 2-core CI machine can delay a good one past a few hundred ms (a 300 ms bound
     * once failed spec 3.17 in CI that way). A wait that checks that nothing comes stays at
     * 300 ms, and errors are polled for every 20 ms.
     */
    static TestEnvironment environment() {
        return new TestEnvironment(5_000, 300, 20);
    }

    static Mono<SnapshotPage> page(long offset, long total, int size) {
        long end = Math.min(total, offset + size);
        List<Snapshot> items = new java.util.ArrayList<>();
        for (long i = offset; i < end; i++) {
            items.add(new Snapshot("s" + i, null, null, null, null, null, null, null, null, null, null));
        }
        Mono<SnapshotPage> page = Mono.just(new SnapshotPage(items, offset, size, end < total));
        // the other thread is one where blocking is allowed: the TCK's subscriber adds each signal to an
        // ArrayBlockingQueue, whose lock, when the test thread holds it, parks the thread that signals; on
        // a parallel (non-blocking) thread BlockHound turned that park into an error thrown in onNext, the
        // listing never completed, and spec 3.17 failed after 5 s, once, in CI on a loaded machine
        return offset % 2 == 0 ? page : page.publishOn(reactor.core.scheduler.Schedulers.boundedElastic());
    }

    @Override
    public Publisher<SnapshotPage> createPublisher(long elements) {
        if (elements == 0) {
            throw new SkipException("a listing always emits at least its first page");
        }
        return new Pager(Pager.plain(offset -> page(offset, elements, 1), 0, 1), 0);
    }

    @Override
    public Publisher<SnapshotPage> createFailedPublisher() {
        // none: a listing is never in a failed state before demand; a failing page fails only once
        // requested, which PagingTest and RetryTest cover over HTTP
        return null;
    }

    @Override
    public long maxElementsFromPublisher() {
        return 1024;
    }

    @Override
    @Test(groups = Slow.TAG)
    public void required_spec101_subscriptionRequestMustResultInTheCorrectNumberOfProducedElements() throws Throwable {
        super.required_spec101_subscriptionRequestMustResultInTheCorrectNumberOfProducedElements();
    }

    @Override
    @Test(groups = Slow.TAG)
    public void required_spec312_cancelMustMakeThePublisherToEventuallyStopSignaling() throws Throwable {
        super.required_spec312_cancelMustMakeThePublisherToEventuallyStopSignaling();
    }
}
