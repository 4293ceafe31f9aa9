package io.github.reactivekoyeb.snapshots.retention;

import io.github.reactivekoyeb.snapshots.KoyebException;
import io.github.reactivekoyeb.snapshots.KoyebNotFoundException;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.retention.RetentionOutcome.Result;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Snapshot retention on a {@link ReactiveSnapshotsClient}: plans a {@link RetentionPolicy} from one
 * consistent listing, then applies the plan, safely while snapshots change and other replicas do
 * the same, through the client's rate limiter, retry policy and retry budget.
 *
 * <pre>{@code
 * SnapshotRetention retention = SnapshotRetention.of(client);
 * retention.plan(policy)
 *         .doOnNext(plan -> log.info("{}", plan))          // the table
 *         .flatMapMany(retention::apply)
 *         .subscribe(outcome -> log.info("{} {}", outcome.snapshot().id(), outcome.result()));
 * }</pre>
 *
 * <p><b>Safe without a lock.</b> Only snapshots the plan marks {@code DELETE} are deleted. With
 * {@link RetentionOptions#recheck()} (the default), each is read just before its delete and left
 * alone ({@link Result#CHANGED}) unless it is still {@code AVAILABLE}, still managed by the policy
 * (renaming a snapshot out of the policy's names protects it) and unchanged since the plan
 * ({@code updatedAt}); a snapshot already gone or being deleted by someone else is
 * {@link Result#ALREADY_GONE}. Two replicas applying plans of one policy at once, or a run cancelled
 * half-way and started again, end with the policy's keep set and no failure. A plan made before
 * another process deleted snapshots the policy keeps can still delete what the policy would now
 * keep in their place: plan right before applying, as the Spring Boot scheduled run does.
 *
 * <p>Cold and lazy like the client: nothing is sent until subscription; cancelling sends nothing
 * more. Thread-safe; it holds nothing but the client.
 */
public final class SnapshotRetention {

    private final ReactiveSnapshotsClient client;

    private SnapshotRetention(ReactiveSnapshotsClient client) {
        this.client = client;
    }

    /**
     * Retention on a client.
     *
     * @param client the client whose snapshots, limiter and retries are used
     * @return the retention
     * @throws NullPointerException if {@code client} is null
     */
    public static SnapshotRetention of(ReactiveSnapshotsClient client) {
        return new SnapshotRetention(Objects.requireNonNull(client, "client"));
    }

    /**
     * Plans a policy: lists the snapshots of its {@linkplain RetentionPolicy#listing() listing} once,
     * consistently (every snapshot that exists for the whole listing is seen exactly once while others
     * are created or removed), and decides for each. Sends no request but the listing's.
     *
     * @param policy the policy
     * @return a cold {@code Mono} emitting the plan, or the listing's error signal: a plan is never
     *     made from part of a listing ({@code KoyebApiException}, {@code KoyebTransportException},
     *     {@code KoyebListingDriftException})
     * @throws NullPointerException if {@code policy} is null
     */
    public Mono<RetentionPlan> plan(RetentionPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return Mono.defer(() -> client.listSnapshots(policy.listing().toBuilder().consistent(true).build())
                .collect(Dedupe::new, Dedupe::add)
                .map(listed -> RetentionPlan.of(policy, listed.snapshots)));
    }

    /**
     * Applies a plan with the {@linkplain RetentionOptions#defaults() default options}.
     *
     * @param plan the plan
     * @return as {@link #apply(RetentionPlan, RetentionOptions)}
     * @throws NullPointerException if {@code plan} is null
     */
    public Flux<RetentionOutcome> apply(RetentionPlan plan) {
        return apply(plan, RetentionOptions.defaults());
    }

    /**
     * Applies a plan: deletes what it marks {@code DELETE}, oldest first, at most
     * {@link RetentionOptions#concurrency()} at once, each (with {@link RetentionOptions#recheck()})
     * after a read that shows it unchanged. Every request goes through the client: its rate
     * limiter, retry policy and retry budget. A failed read or delete is a {@link Result#FAILED}
     * outcome with its typed error, and the others go on. With
     * {@link RetentionOptions#deleteAtMost()}, only the oldest that many are sent; the others end,
     * after them, as {@link Result#DEFERRED} outcomes ({@link RetentionPlan#toDelete(RetentionOptions)}
     * and {@link RetentionPlan#deferred(RetentionOptions)} say which beforehand).
     *
     * @param plan the plan
     * @param options concurrency, maximum and recheck
     * @return a cold {@code Flux} of one outcome per planned deletion, those sent in the order they
     *     end, then the deferred ones, then completion; or, before any request, an error signal {@link RetentionLimitExceededException}
     *     when the plan would delete more than {@link RetentionOptions#maxDeletions()}
     * @throws NullPointerException if an argument is null
     */
    public Flux<RetentionOutcome> apply(RetentionPlan plan, RetentionOptions options) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(options, "options");
        return Flux.defer(() -> {
            int planned = plan.toDelete().size();
            int max = options.maxDeletions().orElse(Integer.MAX_VALUE);
            if (planned > max) {
                return Flux.error(new RetentionLimitExceededException(planned, max));
            }
            return Flux.fromIterable(plan.toDelete(options))
                    .flatMap(s -> options.recheck() ? recheckThenDelete(plan.policy(), s) : delete(s),
                            options.concurrency(), 1)
                    .concatWith(Flux.fromIterable(plan.deferred(options)).map(s -> outcome(s, Result.DEFERRED, null)));
        });
    }

    private Mono<RetentionOutcome> recheckThenDelete(RetentionPolicy policy, Snapshot planned) {
        return Mono.defer(() -> client.getSnapshot(Planner.idOf(planned)))
                .flatMap(now -> {
                    if (now.status() == SnapshotStatus.DELETING || now.status() == SnapshotStatus.DELETED) {
                        return Mono.just(outcome(planned, Result.ALREADY_GONE, null));
                    }
                    if (!policy.manages(now) || !Objects.equals(now.updatedAt(), planned.updatedAt())) {
                        return Mono.just(outcome(planned, Result.CHANGED, null));
                    }
                    return delete(planned);
                })
                .onErrorResume(KoyebException.class, e -> Mono.just(failed(planned, e)));
    }

    private Mono<RetentionOutcome> delete(Snapshot planned) {
        return Mono.defer(() -> client.deleteSnapshot(Planner.idOf(planned)))
                .map(deleted -> outcome(planned, Result.DELETED, null))
                .onErrorResume(KoyebException.class, e -> Mono.just(failed(planned, e)));
    }

    private static RetentionOutcome failed(Snapshot planned, KoyebException e) {
        return e instanceof KoyebNotFoundException ? outcome(planned, Result.ALREADY_GONE, null)
                : outcome(planned, Result.FAILED, e);
    }

    private static RetentionOutcome outcome(Snapshot planned, Result result, @Nullable KoyebException error) {
        return new RetentionOutcome(planned, result, error);
    }

    @Override
    public String toString() {
        return "SnapshotRetention{" + client + '}';
    }

    /**
     * The listing's snapshots; a consistent listing emits each id once, but a plan must never count one
     * twice whatever the server does, so a repeated id keeps its last state.
     */
    private static final class Dedupe {
        final List<Snapshot> snapshots = new ArrayList<>();
        final java.util.Map<String, Integer> index = new java.util.HashMap<>();

        void add(Snapshot snapshot) {
            String id = snapshot.id();
            Integer at = id == null ? null : index.putIfAbsent(id, snapshots.size());
            if (at == null) {
                snapshots.add(snapshot);
            } else {
                snapshots.set(at, snapshot);
            }
        }
    }
}
