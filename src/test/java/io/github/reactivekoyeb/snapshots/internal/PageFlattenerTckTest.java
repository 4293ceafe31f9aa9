package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.Snapshot;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;

/** The Reactive Streams TCK against {@link PageFlattener} over a {@link Pager} of 3-snapshot pages. */
public class PageFlattenerTckTest extends PublisherVerification<Snapshot> {

    public PageFlattenerTckTest() {
        super(PagerTckTest.environment());
    }

    @Override
    public Publisher<Snapshot> createPublisher(long elements) {
        return new PageFlattener(new Pager(Pager.plain(offset -> PagerTckTest.page(offset, elements, 3), 0, 3), 0));
    }

    @Override
    public Publisher<Snapshot> createFailedPublisher() {
        // none: a listing is never in a failed state before demand; a failing page fails only once
        // requested, which PagingTest and RetryTest cover over HTTP
        return null;
    }

    @Override
    public long maxElementsFromPublisher() {
        return 1024;
    }
}
