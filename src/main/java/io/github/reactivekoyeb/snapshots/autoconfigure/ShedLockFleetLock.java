package io.github.reactivekoyeb.snapshots.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A {@link FleetLock} on the application's ShedLock {@link LockProvider}, whichever store it locks
 * in (JDBC, Redis, Mongo...). Its calls block (a database round trip), so they run on Reactor's
 * bounded-elastic scheduler, never on the caller's thread.
 */
final class ShedLockFleetLock implements FleetLock {

    private final LockProvider provider;

    ShedLockFleetLock(LockProvider provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    @Override
    public Mono<Held> acquire(String name, Duration atMostFor, Duration atLeastFor) {
        return Mono.fromCallable(() -> provider.lock(new LockConfiguration(Instant.now(), name, atMostFor, atLeastFor)))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(lock -> Mono.justOrEmpty(lock.map(ShedLockFleetLock::held)));
    }

    private static Held held(SimpleLock lock) {
        return () -> Mono.fromRunnable(lock::unlock).subscribeOn(Schedulers.boundedElastic()).then();
    }

    @Override
    public String toString() {
        return "ShedLock " + provider.getClass().getSimpleName();
    }
}
