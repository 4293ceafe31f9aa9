package io.github.reactivekoyeb.snapshots.retention;

import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.retention.RetentionDecision.Action;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The rules of a {@link RetentionPolicy} as a pure function: snapshots and a policy in, a decision
 * with its reasons for each snapshot out. It reads no clock (the {@code keepWithin} window ends at
 * each group's newest snapshot) and no default time zone, and sorts its input, so that the same
 * snapshots give the same plan in any order, on any machine.
 */
final class Planner {

    /** Newest first: the later {@code createdAt} (none last), then the greater id (none last). */
    static final Comparator<Snapshot> NEWEST_FIRST = Comparator
            .comparing(Snapshot::createdAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder())).reversed()
            .thenComparing(Snapshot::id, Comparator.nullsLast(Comparator.<String>reverseOrder()));

    private Planner() {
    }

    /** Every snapshot's decision, by group (in the groups' order), newest first in each. */
    static List<RetentionDecision> decide(RetentionPolicy policy, Collection<Snapshot> snapshots) {
        Map<String, List<Snapshot>> groups = new TreeMap<>();
        Set<String> ids = new HashSet<>();
        for (Snapshot snapshot : snapshots) {
            if (!policy.plans(snapshot)) {
                continue;
            }
            String id = snapshot.id();
            if (id != null && !ids.add(id)) {
                throw new IllegalArgumentException("snapshot " + id + " is listed twice");
            }
            String volume = snapshot.parentVolumeId();
            groups.computeIfAbsent(volume == null ? RetentionDecision.NO_VOLUME : volume, g -> new ArrayList<>())
                    .add(snapshot);
        }
        List<RetentionDecision> decisions = new ArrayList<>(snapshots.size());
        groups.forEach((group, members) -> decideGroup(policy, group, members, decisions));
        return decisions;
    }

    private static void decideGroup(RetentionPolicy policy, String group, List<Snapshot> members,
            List<RetentionDecision> out) {
        members.sort(NEWEST_FIRST);
        List<Snapshot> managed = new ArrayList<>(members.size());
        for (Snapshot snapshot : members) {
            if (policy.manages(snapshot)) {
                managed.add(snapshot);
            }
        }
        Map<String, RetentionDecision> decided = walk(policy, group, managed);
        for (Snapshot snapshot : members) {
            RetentionDecision decision = snapshot.id() == null ? null : decided.get(snapshot.id());
            out.add(decision != null ? decision
                    : new RetentionDecision(snapshot, group, Action.IGNORE, List.of(String.valueOf(policy.whyIgnored(snapshot)))));
        }
    }

    /** The walk over a group's managed snapshots, newest first: each rule's keeps, and why the others go. */
    private static Map<String, RetentionDecision> walk(RetentionPolicy policy, String group, List<Snapshot> managed) {
        Map<String, RetentionDecision> decided = new java.util.HashMap<>();
        if (managed.isEmpty()) {
            return decided;
        }
        Map<Rule, Long> lastBucket = new EnumMap<>(Rule.class);
        Map<Rule, String> lastKept = new EnumMap<>(Rule.class);
        Map<Rule, Integer> used = new EnumMap<>(Rule.class);
        Instant newest = created(managed.get(0));
        Duration within = policy.keepWithin().orElse(null);
        String withinRule = within == null ? "" : "within " + Durations.compact(within);
        Instant withinAfter = within == null ? null : windowStart(newest, within);
        int oldest = managed.size() - 1;
        for (int index = 0; index < managed.size(); index++) {
            Snapshot snapshot = managed.get(index);
            Instant created = created(snapshot);
            LocalDateTime local = LocalDateTime.ofInstant(created, policy.zone());
            List<String> keeps = new ArrayList<>(2);
            List<String> misses = new ArrayList<>(2);
            if (withinAfter != null) {
                if (created.isAfter(withinAfter)) {
                    keeps.add(withinRule);
                } else {
                    misses.add(withinRule + ": created " + Durations.compact(Duration.between(created, newest))
                            + " before the newest");
                }
            }
            for (Rule rule : Rule.values()) {
                int count = policy.count(rule);
                if (count == 0) {
                    continue;
                }
                int usedSoFar = used.getOrDefault(rule, 0);
                long bucket = rule.bucket(local, index);
                Long previous = lastBucket.get(rule);
                boolean newBucket = previous == null || previous != bucket;
                if (usedSoFar < count && (newBucket || index == oldest)) {
                    used.put(rule, usedSoFar + 1);
                    lastBucket.put(rule, bucket);
                    lastKept.put(rule, idOf(snapshot));
                    keeps.add(newBucket ? rule.label + " #" + (usedSoFar + 1) : "oldest " + rule.label);
                } else if (!newBucket) {
                    misses.add(rule.label + ": " + rule.period(local) + " kept as " + lastKept.get(rule));
                } else {
                    misses.add(rule.label + ": all " + count + " used");
                }
            }
            Action action;
            List<String> reasons;
            if (!keeps.isEmpty()) {
                action = Action.KEEP;
                reasons = keeps;
            } else if (index == 0) {
                action = Action.KEEP; // the floor: never reached by a policy that keeps something, kept all the same
                reasons = List.of("newest of its group");
            } else {
                action = Action.DELETE;
                reasons = misses;
            }
            decided.put(idOf(snapshot), new RetentionDecision(snapshot, group, action, reasons));
        }
        return decided;
    }

    /**
     * Where a {@code keepWithin} window that ends at {@code newest} starts; {@link Instant#MIN} (every
     * snapshot is inside) when it would start before the calendar does.
     */
    private static Instant windowStart(Instant newest, Duration within) {
        try {
            return newest.minus(within);
        } catch (java.time.DateTimeException | ArithmeticException beforeTheCalendar) {
            return Instant.MIN;
        }
    }

    /** The id of a managed snapshot (the policy manages none without). */
    static String idOf(Snapshot managed) {
        String id = managed.id();
        if (id == null) {
            throw new IllegalStateException("a managed snapshot has an id");
        }
        return id;
    }

    private static Instant created(Snapshot managed) {
        @Nullable Instant created = managed.createdAt();
        if (created == null) {
            throw new IllegalStateException("a managed snapshot has a creation time");
        }
        return created;
    }
}
