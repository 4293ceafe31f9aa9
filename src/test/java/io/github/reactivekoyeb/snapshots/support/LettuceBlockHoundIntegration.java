package io.github.reactivekoyeb.snapshots.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Lettuce guards each endpoint's writers with {@code SharedLock}, a {@code ReentrantLock} held for a
 * few instructions; when two threads write to one connection at once, the second parks briefly, and
 * BlockHound reports that when the writing thread is a Reactor one (a command sent from a
 * {@code timeout} on the parallel scheduler, say). It is a short critical section, not I/O or
 * sleeping. Reported from there it is worse than noise: Lettuce calls {@code incrementWriters()}
 * inside the {@code try} whose {@code finally} calls {@code decrementWriters()}, so the error thrown
 * from the park leaves the writer count one below zero, and the next exclusive section (the
 * channel going inactive when the client shuts down) spins for ever: a test that closed its
 * {@code RedisClient} hung once on Boot 4.1 (Lettuce 7.5) with an event loop at 100% CPU in
 * {@code SharedLock.lockWritersExclusive}. The suite allows exactly Lettuce's two lock entries.
 */
public final class LettuceBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters");
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive");
    }
}
