package io.github.reactivekoyeb.snapshots.autoconfigure;

import java.time.Duration;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * A job on a cron, once per fleet: waits for each cron time on a non-blocking timer, takes the
 * fleet's lock ({@link FleetLock#NONE} without ShedLock: every replica runs), runs the job, releases
 * the lock, and waits for the next time after the job ended; runs never overlap. What the scheduled
 * retention and each snapshot schedule run on.
 */
final class LockedCron {

    private final String what;
    private final Log log;
    private final Supplier<Duration> untilNext;
    private final FleetLock lock;
    private final ScheduledRetention.LockSettings settings;

    /**
     * @param what how the log lines name the job, e.g. {@code Koyeb snapshot retention}
     * @param log the job's log
     * @param untilNext how long from now until the cron's next time
     */
    LockedCron(String what, Log log, Supplier<Duration> untilNext, FleetLock lock,
            ScheduledRetention.LockSettings settings) {
        this.what = what;
        this.log = log;
        this.untilNext = untilNext;
        this.lock = lock;
        this.settings = settings;
    }

    /** Starts the loop: at each cron time, {@link #lockedRun}. Dispose of it to stop, the run in flight too. */
    Disposable start(Supplier<Mono<?>> job, Runnable skipped) {
        Disposable loop = Mono.defer(() -> Mono.delay(untilNext.get()))
                .then(Mono.defer(() -> lockedRun(job, skipped)))
                .repeat()
                .subscribe();
        if (lock == FleetLock.NONE) {
            log.info(what + " runs on every replica: the application has no ShedLock LockProvider bean (each replica"
                    + " then does the work; with one, a run takes the lock '" + settings.name() + "')");
        } else {
            log.info(what + " runs once per fleet, under the lock '" + settings.name() + "' (" + lock + ", at most "
                    + settings.atMostFor() + ", at least " + settings.atLeastFor() + ")");
        }
        return loop;
    }

    /**
     * One turn: under the fleet's lock when there is one (another replica that holds it makes this
     * one skip its turn: {@code skipped} runs), the lock released when the job ends, fails or is
     * cancelled. The job's own errors are its to report: they end the turn, not the loop.
     */
    Mono<Void> lockedRun(Supplier<Mono<?>> job, Runnable skipped) {
        return lock.acquire(settings.name(), settings.atMostFor(), settings.atLeastFor())
                .onErrorResume(e -> {
                    log.warn(what + " skipped this run: the lock '" + settings.name() + "' could not be taken: " + e);
                    skipped.run();
                    return Mono.empty();
                })
                .switchIfEmpty(Mono.fromRunnable(() -> {
                    log.debug(what + ": another replica holds the lock '" + settings.name() + "', this one skips its"
                            + " turn");
                    skipped.run();
                }))
                .flatMap(held -> Mono.usingWhen(Mono.just(held),
                        h -> Mono.defer(job).onErrorResume(e -> Mono.empty()).then(),
                        h -> h.release().onErrorResume(e -> Mono.empty())))
                .then();
    }
}
