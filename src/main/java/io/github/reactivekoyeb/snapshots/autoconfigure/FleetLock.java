package io.github.reactivekoyeb.snapshots.autoconfigure;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * A lock that one replica of the fleet holds for one scheduled run, so that the run happens once
 * per fleet: ShedLock's {@code LockProvider} when the application has one
 * ({@link ShedLockFleetLock}), else {@link #NONE}, which every replica holds.
 */
interface FleetLock {

    /** No lock: every replica runs. */
    FleetLock NONE = new FleetLock() {
        @Override
        public Mono<Held> acquire(String name, Duration atMostFor, Duration atLeastFor) {
            return Mono.just(Mono::empty);
        }

        @Override
        public String toString() {
            return "no lock";
        }
    };

    /**
     * Takes the lock, without blocking the caller's thread.
     *
     * @param name the lock's name
     * @param atMostFor how long it is held at most (a replica that dies leaves it then)
     * @param atLeastFor how long it is held at least, even when the run ends sooner
     * @return the held lock, or empty when another replica holds it
     */
    Mono<Held> acquire(String name, Duration atMostFor, Duration atLeastFor);

    /** A held lock. */
    @FunctionalInterface
    interface Held {
        /**
         * Releases it (it stays held until {@code atLeastFor} has passed).
         *
         * @return a Mono that completes once released
         */
        Mono<Void> release();
    }
}
