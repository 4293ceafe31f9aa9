package io.github.reactivekoyeb.snapshots.retention;

import io.github.reactivekoyeb.snapshots.Snapshot;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link RetentionPlan} does with one snapshot, and why.
 *
 * @param snapshot the snapshot, as the plan's listing read it
 * @param group the group it was planned in: its {@code parentVolumeId}, or
 *     {@value #NO_VOLUME} for the snapshots that have none
 * @param action keep it, delete it, or leave it alone because the policy does not manage it
 * @param reasons why, never empty: each rule that keeps it with its number ({@code "daily #3"},
 *     {@code "oldest daily"}, {@code "within 30d"}), why each rule does not keep a deleted one
 *     ({@code "daily: day 2026-12-01 kept as snap-42"}, {@code "last: all 3 used"}), or why it is
 *     ignored ({@code "status CREATING"}, {@code "name not managed (not \"nightly-...\")"})
 */
public record RetentionDecision(Snapshot snapshot, String group, Action action, List<String> reasons) {

    /** The group of the snapshots that have no {@code parentVolumeId}: {@value}. */
    public static final String NO_VOLUME = "(no volume)";

    /** What the plan does with a snapshot. */
    public enum Action {
        /** A rule keeps it (or it is the newest of its group): never deleted. */
        KEEP,
        /** No rule keeps it: {@link SnapshotRetention#apply} deletes it. */
        DELETE,
        /** The policy does not manage it (its status, its name): never deleted, never counted. */
        IGNORE
    }

    /**
     * A decision; the reasons are copied.
     *
     * @param snapshot the snapshot
     * @param group its group
     * @param action what the plan does with it
     * @param reasons why, at least one
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code reasons} is empty
     */
    public RetentionDecision {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(action, "action");
        reasons = List.copyOf(reasons);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("a decision has at least one reason");
        }
    }
}
