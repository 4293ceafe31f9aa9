package io.github.reactivekoyeb.snapshots.retention;

import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.retention.RetentionDecision.Action;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link RetentionPolicy} does with each snapshot of a listing: keep, delete or ignore it,
 * and why. Made by {@link SnapshotRetention#plan(RetentionPolicy)} from a consistent listing, or by
 * {@link #of(RetentionPolicy, Collection)} from snapshots at hand (no request: to try a policy).
 * Its {@link #toString()} is the plan as a table, like restic's {@code forget --dry-run}.
 *
 * <p>Immutable and thread-safe.
 */
public final class RetentionPlan {

    private final RetentionPolicy policy;
    private final List<RetentionDecision> decisions;
    private final List<Snapshot> toDelete;
    private final String fingerprint;

    private RetentionPlan(RetentionPolicy policy, List<RetentionDecision> decisions) {
        this.policy = policy;
        this.decisions = List.copyOf(decisions);
        List<Snapshot> deletions = new ArrayList<>();
        for (RetentionDecision decision : this.decisions) {
            if (decision.action() == Action.DELETE) {
                deletions.add(decision.snapshot());
            }
        }
        this.toDelete = List.copyOf(deletions);
        this.fingerprint = fingerprint(policy, this.decisions);
    }

    /**
     * Plans a policy over snapshots at hand, with the same rules as
     * {@link SnapshotRetention#plan(RetentionPolicy)} and no request: to try a policy, or to test one.
     * The listing filters of the policy are not applied (the snapshots are taken as listed); its
     * {@linkplain RetentionPolicy#volumes() volumes} are: others are left out.
     *
     * @param policy the policy
     * @param snapshots the snapshots, in any order, each id once
     * @return the plan
     * @throws NullPointerException if an argument or a snapshot is null
     * @throws IllegalArgumentException if an id is there twice
     */
    public static RetentionPlan of(RetentionPolicy policy, Collection<Snapshot> snapshots) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(snapshots, "snapshots");
        return new RetentionPlan(policy, Planner.decide(policy, snapshots));
    }

    /**
     * The policy planned.
     *
     * @return the policy
     */
    public RetentionPolicy policy() {
        return policy;
    }

    /**
     * Every snapshot listed, exactly once, by group (groups in the order of their names), newest
     * first in each group.
     *
     * @return the decisions, unmodifiable
     */
    public List<RetentionDecision> decisions() {
        return decisions;
    }

    /**
     * The snapshots the plan deletes, in the order of {@link #decisions()}.
     *
     * @return the snapshots of the {@link Action#DELETE} decisions, unmodifiable
     */
    public List<Snapshot> toDelete() {
        return toDelete;
    }

    /**
     * The deletions one run with these options sends, in the order it sends them: oldest first
     * ({@code createdAt}, then id), at most {@link RetentionOptions#deleteAtMost()}. What a dry run
     * reports the cap would do.
     *
     * @param options the options of the run
     * @return the snapshots, unmodifiable
     * @throws NullPointerException if {@code options} is null
     */
    public List<Snapshot> toDelete(RetentionOptions options) {
        List<Snapshot> oldestFirst = oldestFirst();
        int cap = Objects.requireNonNull(options, "options").deleteAtMost().orElse(Integer.MAX_VALUE);
        return List.copyOf(oldestFirst.subList(0, Math.min(cap, oldestFirst.size())));
    }

    /**
     * The deletions a run with these options leaves for the next runs: beyond
     * {@link RetentionOptions#deleteAtMost()}, oldest first. Empty without a cap.
     *
     * @param options the options of the run
     * @return the snapshots, unmodifiable
     * @throws NullPointerException if {@code options} is null
     */
    public List<Snapshot> deferred(RetentionOptions options) {
        List<Snapshot> oldestFirst = oldestFirst();
        int cap = Objects.requireNonNull(options, "options").deleteAtMost().orElse(Integer.MAX_VALUE);
        return List.copyOf(oldestFirst.subList(Math.min(cap, oldestFirst.size()), oldestFirst.size()));
    }

    private List<Snapshot> oldestFirst() {
        List<Snapshot> targets = new ArrayList<>(toDelete);
        targets.sort(Comparator.comparing(Snapshot::createdAt, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
                .thenComparing(Snapshot::id, Comparator.nullsLast(Comparator.<String>naturalOrder())));
        return targets;
    }

    /**
     * The snapshots the plan keeps, in the order of {@link #decisions()}.
     *
     * @return the snapshots of the {@link Action#KEEP} decisions, unmodifiable
     */
    public List<Snapshot> toKeep() {
        return decisions.stream().filter(d -> d.action() == Action.KEEP).map(RetentionDecision::snapshot).toList();
    }

    /**
     * The groups planned (volume ids, and {@value RetentionDecision#NO_VOLUME}), in order.
     *
     * @return the group names, unmodifiable
     */
    public List<String> groups() {
        Set<String> groups = new LinkedHashSet<>();
        decisions.forEach(d -> groups.add(d.group()));
        return List.copyOf(groups);
    }

    /**
     * A digest of the policy's rules (counts, window, zone, managed names) and of every decision with
     * the state it was made from (id, name, status, times, volume, action): the same rules over the
     * same snapshots give the same fingerprint, whatever order and page size they were listed in,
     * however the zone is spelled ({@code Z}, {@code UTC}, {@code Etc/UTC}), on any machine; any
     * change of a rule or of a snapshot gives another.
     * Two replicas that log the same fingerprint planned the same thing.
     *
     * @return 64 hexadecimal digits (SHA-256)
     */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * How many decisions have an action.
     *
     * @param action the action
     * @return the count
     */
    public int count(Action action) {
        Objects.requireNonNull(action, "action");
        return (int) decisions.stream().filter(d -> d.action() == action).count();
    }

    /**
     * The plan as a table a person reads: a summary line, then each group's snapshots newest first
     * with their id, name, creation time in the policy's zone, action and reasons.
     *
     * @return the table, one line per snapshot
     */
    @Override
    public String toString() {
        return PlanTable.render(this);
    }

    private static String fingerprint(RetentionPolicy policy, List<RetentionDecision> decisions) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        StringBuilder line = new StringBuilder(128);
        // the rules, the zone as its rules count (UTC, Z and Etc/UTC alike) and the managed names: not the
        // listing's page size, read-ahead or filters, which change how snapshots were listed, not the plan
        line.append(String.join(", ", policy.rules())).append('|').append(policy.zone().normalized().getId()).append('|')
                .append(policy.namePrefix()).append('\n');
        sha256.update(line.toString().getBytes(StandardCharsets.UTF_8));
        for (RetentionDecision d : decisions) {
            Snapshot s = d.snapshot();
            line.setLength(0);
            line.append(s.id()).append('|').append(s.name()).append('|').append(s.status()).append('|')
                    .append(s.createdAt()).append('|').append(s.updatedAt()).append('|').append(d.group()).append('|')
                    .append(d.action()).append('\n');
            sha256.update(line.toString().getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha256.digest());
    }
}
