/**
 * Snapshot retention: keep-policies (restic's {@code forget} rules, per volume) planned with a
 * reason for every decision and applied safely while snapshots change, under rate limits and from
 * several replicas at once.
 *
 * <p>{@link io.github.reactivekoyeb.snapshots.retention.RetentionPolicy} says what to keep;
 * {@link io.github.reactivekoyeb.snapshots.retention.SnapshotRetention} plans it from one consistent
 * listing ({@link io.github.reactivekoyeb.snapshots.retention.RetentionPlan}, one
 * {@link io.github.reactivekoyeb.snapshots.retention.RetentionDecision} per snapshot) and applies
 * the plan ({@link io.github.reactivekoyeb.snapshots.retention.RetentionOutcome} per deletion,
 * {@link io.github.reactivekoyeb.snapshots.retention.RetentionOptions}). In Spring Boot,
 * {@code koyeb.snapshots.retention.*} runs a policy on a schedule.
 */
@NullMarked
package io.github.reactivekoyeb.snapshots.retention;

import org.jspecify.annotations.NullMarked;
