package io.github.reactivekoyeb.snapshots.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Netty 4.2's adaptive buffer allocator takes a {@code StampedLock} for a few instructions when
 * two threads grow the same magazine group; under contention that parks, and BlockHound reports
 * it when the allocating thread is a Reactor one (a {@code Mono.delay} continuation writing a
 * response, say). It is a short critical section inside Netty, not I/O or sleeping, so the suite
 * allows exactly those two methods and nothing else.
 */
public final class NettyAllocatorBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
    }
}
