package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.support.Slow;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.testng.annotations.Test;

/**
 * The Reactive Streams TCK against {@link PageFlattener} over a {@link Pager} of 3-snapshot pages.
 * Its two long specs (5.5 s of the class's 8.5) are in the {@link Slow} group; the everyday suite
 * runs the others.
 */
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

    @Override
    @Test(groups = Slow.TAG)
    public void required_spec312_cancelMustMakeThePublisherToEventuallyStopSignaling() throws Throwable {
        super.required_spec312_cancelMustMakeThePublisherToEventuallyStopSignaling();
    }

    @Override
    @Test(groups = Slow.TAG)
    public void required_spec101_subscriptionRequestMustResultInTheCorrectNumberOfProducedElements() throws Throwable {
        super.required_spec101_subscriptionRequestMustResultInTheCorrectNumberOfProducedElements();
    }
}
