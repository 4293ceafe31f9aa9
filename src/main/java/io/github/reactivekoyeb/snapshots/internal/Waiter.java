package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.CreateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.KoyebErrorDetails;
import io.github.reactivekoyeb.snapshots.KoyebNotFoundException;
import io.github.reactivekoyeb.snapshots.KoyebUnexpectedStatusException;
import io.github.reactivekoyeb.snapshots.KoyebWaitTimeoutException;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.WaitOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Polling for long-running snapshot operations, on top of any {@link ReactiveSnapshotsClient}:
 * each poll is a {@code getSnapshot} (so the client's retry policy applies to it), the waits are
 * {@code Mono.delay} timers on {@link Schedulers#parallel()} (no sleeping thread; virtual time in
 * tests), nothing is sent before subscription, and cancelling stops the polling.
 */
public final class Waiter {

    private Waiter() {
    }

    /**
     * Polls until {@code condition} holds; see {@link ReactiveSnapshotsClient#awaitSnapshot}.
     *
     * @param client the client to poll with
     * @param id the snapshot id
     * @param condition what to wait for
     * @param options the schedule and timeout
     * @return the cold wait
     */
    public static Mono<Snapshot> await(ReactiveSnapshotsClient client, String id, Predicate<Snapshot> condition,
            WaitOptions options) {
        return await(client, id, condition, options, null, "the condition");
    }

    /**
     * Polls until the snapshot has {@code status}; fails fast when waiting for AVAILABLE is hopeless.
     *
     * @param client the client to poll with
     * @param id the snapshot id
     * @param status the status to wait for
     * @param timeout the overall timeout
     * @return the cold wait
     */
    public static Mono<Snapshot> awaitStatus(ReactiveSnapshotsClient client, String id, SnapshotStatus status,
            Duration timeout) {
        Objects.requireNonNull(status, "status");
        if (status == SnapshotStatus.UNKNOWN) {
            throw new IllegalArgumentException("UNKNOWN is not a status a snapshot can be waited for");
        }
        return await(client, id, s -> s.status() == status, WaitOptions.withTimeout(timeout), status,
                "status " + status);
    }

    private static Mono<Snapshot> await(ReactiveSnapshotsClient client, String id, Predicate<Snapshot> condition,
            WaitOptions options, @Nullable SnapshotStatus target, String goal) {
        DefaultReactiveSnapshotsClient.checkId(id);
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(options, "options");
        return Mono.defer(() -> {
            long start = now();
            AtomicReference<@Nullable Snapshot> last = new AtomicReference<>();
            AtomicInteger sent = new AtomicInteger();
            return until(polls(client, id, options, 0, sent).doOnNext(last::set), condition, target, id, sent)
                    .timeout(options.timeout(), Mono.defer(() -> Mono.error(new KoyebWaitTimeoutException(id,
                            last.get(), elapsed(start), goal, details("GET", id, sent)))));
        });
    }

    /**
     * Creates, then polls until AVAILABLE; see {@link ReactiveSnapshotsClient#createSnapshotAndAwait}.
     *
     * @param client the client
     * @param request the create request
     * @param timeout the overall timeout, the create included
     * @return the cold operation
     */
    public static Mono<Snapshot> createAndAwait(ReactiveSnapshotsClient client, CreateSnapshotRequest request,
            Duration timeout) {
        Objects.requireNonNull(request, "request");
        WaitOptions options = WaitOptions.withTimeout(timeout);
        return Mono.defer(() -> {
            long start = now();
            AtomicReference<@Nullable Snapshot> last = new AtomicReference<>();
            AtomicReference<String> id = new AtomicReference<>("");
            AtomicInteger sent = new AtomicInteger(1);
            return client.createSnapshot(request)
                    .flatMap(created -> {
                        last.set(created);
                        if (created.id() == null) {
                            return Mono.error(new IllegalStateException("the create reply has no snapshot id"));
                        }
                        id.set(created.id());
                        return untilAvailable(client, created, created.id(), options, last, sent);
                    })
                    // id is never null; requireNonNullElse is for NullAway's standard mode (JDKs without
                    // JSpecify mode), which reads AtomicReference.get() as nullable whatever the type argument
                    .timeout(timeout, Mono.defer(() -> {
                        String known = Objects.requireNonNullElse(id.get(), "");
                        return Mono.error(new KoyebWaitTimeoutException(known, last.get(), elapsed(start),
                                "status AVAILABLE", details(known.isEmpty() ? "POST" : "GET", known, sent)));
                    }));
        });
    }

    /**
     * Polls a snapshot just created (its create reply the first state) until AVAILABLE, on the
     * options' schedule, within {@code timeout}; what {@link #createAndAwait} does after its create,
     * for callers that bound their creates apart from their waits.
     *
     * @param client the client
     * @param created the create's reply
     * @param options the poll schedule
     * @param timeout what is left of the overall timeout
     * @return the cold wait: the AVAILABLE state, or {@code KoyebWaitTimeoutException},
     *     {@code KoyebUnexpectedStatusException} or a poll's error
     */
    public static Mono<Snapshot> awaitCreated(ReactiveSnapshotsClient client, Snapshot created, WaitOptions options,
            Duration timeout) {
        String id = created.id();
        if (id == null) {
            return Mono.error(new IllegalStateException("the create reply has no snapshot id"));
        }
        return Mono.defer(() -> {
            long start = now();
            AtomicReference<@Nullable Snapshot> last = new AtomicReference<>(created);
            AtomicInteger sent = new AtomicInteger(1);
            return untilAvailable(client, created, id, options, last, sent)
                    .timeout(timeout.isNegative() ? Duration.ZERO : timeout, Mono.defer(() -> Mono.error(
                            new KoyebWaitTimeoutException(id, last.get(), elapsed(start), "status AVAILABLE",
                                    details("GET", id, sent)))));
        });
    }

    /** The create's reply, then polls on the options' schedule, until AVAILABLE; the states seen go to {@code last}. */
    private static Mono<Snapshot> untilAvailable(ReactiveSnapshotsClient client, Snapshot created, String id,
            WaitOptions options, AtomicReference<@Nullable Snapshot> last, AtomicInteger sent) {
        Flux<Snapshot> states = Flux.concat(Mono.just(created), polls(client, id, options, 1, sent).doOnNext(last::set));
        return until(states, s -> s.status() == SnapshotStatus.AVAILABLE, SnapshotStatus.AVAILABLE, id, sent);
    }

    /**
     * Deletes, then polls until DELETED or gone; see {@link ReactiveSnapshotsClient#deleteSnapshotAndAwait}.
     *
     * @param client the client
     * @param id the snapshot id
     * @param timeout the overall timeout, the delete included
     * @return the cold operation
     */
    public static Mono<Void> deleteAndAwait(ReactiveSnapshotsClient client, String id, Duration timeout) {
        DefaultReactiveSnapshotsClient.checkId(id);
        WaitOptions options = WaitOptions.withTimeout(timeout);
        return Mono.defer(() -> {
            long start = now();
            AtomicReference<@Nullable Snapshot> last = new AtomicReference<>();
            AtomicInteger sent = new AtomicInteger(1);
            return client.deleteSnapshot(id)
                    .flatMap(deleted -> {
                        last.set(deleted);
                        if (deleted.status() == SnapshotStatus.DELETED) {
                            return Mono.<Snapshot>empty();
                        }
                        return polls(client, id, options, 1, sent)
                                .doOnNext(last::set)
                                .filter(s -> s.status() == SnapshotStatus.DELETED)
                                .next()
                                .onErrorResume(KoyebNotFoundException.class, gone -> Mono.empty());
                    })
                    .then()
                    .timeout(timeout, Mono.defer(() -> Mono.error(new KoyebWaitTimeoutException(id, last.get(),
                            elapsed(start), "status DELETED", details("DELETE", id, sent)))));
        });
    }

    /**
     * Every distinct state until AVAILABLE, DELETED or gone; see {@link ReactiveSnapshotsClient#watchSnapshot}.
     *
     * @param client the client to poll with
     * @param id the snapshot id
     * @param options the schedule and timeout
     * @return the cold watch
     */
    public static Flux<Snapshot> watch(ReactiveSnapshotsClient client, String id, WaitOptions options) {
        DefaultReactiveSnapshotsClient.checkId(id);
        Objects.requireNonNull(options, "options");
        return Flux.defer(() -> {
            long start = now();
            AtomicReference<@Nullable Snapshot> last = new AtomicReference<>();
            AtomicBoolean timedOut = new AtomicBoolean();
            AtomicInteger sent = new AtomicInteger();
            Flux<Snapshot> states = polls(client, id, options, 0, sent)
                    .onErrorResume(KoyebNotFoundException.class, gone -> Flux.empty())
                    .doOnNext(last::set)
                    .distinctUntilChanged()
                    .takeUntil(s -> s.status() == SnapshotStatus.AVAILABLE || s.status() == SnapshotStatus.DELETED);
            Mono<Long> deadline = Mono.delay(options.timeout()).doOnNext(tick -> timedOut.set(true));
            return states.takeUntilOther(deadline).concatWith(Mono.defer(() -> timedOut.get()
                    ? Mono.error(new KoyebWaitTimeoutException(id, last.get(), elapsed(start),
                            "status AVAILABLE or DELETED", details("GET", id, sent)))
                    : Mono.empty()));
        });
    }

    /**
     * Poll {@code first} at once when it is 0, else after its interval; then each next poll after
     * its own interval, one at a time, for as long as the subscriber wants; {@code sent} counts them.
     */
    static Flux<Snapshot> polls(ReactiveSnapshotsClient client, String id, WaitOptions options, long first,
            AtomicInteger sent) {
        return Flux.range(0, Integer.MAX_VALUE).concatMap(i -> {
            long n = first + i;
            Mono<Snapshot> poll = Mono.defer(() -> {
                sent.incrementAndGet();
                return client.getSnapshot(id);
            });
            return n == 0 ? poll : Mono.delay(options.intervalBefore(n)).then(poll);
        }, 1);
    }

    /** The first state meeting the condition; fails fast when waiting for AVAILABLE is hopeless. */
    private static Mono<Snapshot> until(Flux<Snapshot> states, Predicate<Snapshot> condition,
            @Nullable SnapshotStatus target, String id, AtomicInteger sent) {
        return states.<Snapshot>handle((s, sink) -> {
            if (condition.test(s)) {
                sink.next(s);
            } else if (target == SnapshotStatus.AVAILABLE
                    && (s.status() == SnapshotStatus.DELETING || s.status() == SnapshotStatus.DELETED)) {
                sink.error(new KoyebUnexpectedStatusException(s, target, details("GET", id, sent)));
            }
        }).next();
    }

    /** What a wait's exception says of the request it was making and the requests it sent. */
    private static KoyebErrorDetails details(String method, String id, AtomicInteger sent) {
        String path = id.isEmpty() ? "/v1/snapshots" : "/v1/snapshots/" + UriEncoder.encode(id);
        return KoyebErrorDetails.builder(method, path).attempts(sent.get()).build();
    }

    private static long now() {
        return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
    }

    private static Duration elapsed(long start) {
        return Duration.ofMillis(now() - start);
    }
}
