package io.github.reactivekoyeb.snapshots.retention;

import io.github.reactivekoyeb.snapshots.KoyebException;
import io.github.reactivekoyeb.snapshots.Snapshot;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What applying a plan did with one snapshot it planned to delete. Immutable.
 */
public final class RetentionOutcome {

    /** What became of a planned deletion. */
    public enum Result {
        /** Deleted: the API accepted the delete (the snapshot is then {@code DELETING}). */
        DELETED,
        /** Gone already: a 404, or another process's delete ({@code DELETING}, {@code DELETED}). */
        ALREADY_GONE,
        /**
         * Left alone: the read before the delete showed it changed since the plan (renamed out of
         * the policy's names, no longer {@code AVAILABLE}, or updated).
         */
        CHANGED,
        /** The read or the delete failed after the client's retries: see {@link #error()}. */
        FAILED,
        /**
         * Not sent: beyond {@link RetentionOptions#deleteAtMost()} in this run, left for the next runs
         * (the oldest go first, so these are the plan's newest deletions).
         */
        DEFERRED
    }

    private final Snapshot snapshot;
    private final Result result;
    private final @Nullable KoyebException error;

    /**
     * An outcome.
     *
     * @param snapshot the snapshot as the plan read it
     * @param result what became of it
     * @param error the failure of a {@link Result#FAILED} outcome, null for the others
     * @throws NullPointerException if {@code snapshot} or {@code result} is null, or a failure has no error
     * @throws IllegalArgumentException if an outcome that did not fail has an error
     */
    public RetentionOutcome(Snapshot snapshot, Result result, @Nullable KoyebException error) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.result = Objects.requireNonNull(result, "result");
        if (result == Result.FAILED) {
            Objects.requireNonNull(error, "the error of a FAILED outcome");
        } else if (error != null) {
            throw new IllegalArgumentException("only a FAILED outcome has an error, not " + result);
        }
        this.error = error;
    }

    /**
     * The snapshot, as the plan read it.
     *
     * @return the snapshot
     */
    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * What became of the planned deletion.
     *
     * @return the result
     */
    public Result result() {
        return result;
    }

    /**
     * Why it failed.
     *
     * @return the typed error of a {@link Result#FAILED} outcome; empty for the others
     */
    public Optional<KoyebException> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetentionOutcome other && snapshot.equals(other.snapshot) && result == other.result
                && Objects.equals(error, other.error);
    }

    @Override
    public int hashCode() {
        return Objects.hash(snapshot, result, error);
    }

    @Override
    public String toString() {
        return "RetentionOutcome{" + snapshot.id() + ", " + result + (error == null ? "" : ", " + error.getMessage()) + '}';
    }
}
