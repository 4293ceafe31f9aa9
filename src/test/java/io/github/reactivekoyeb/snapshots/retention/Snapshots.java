package io.github.reactivekoyeb.snapshots.retention;

import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.SnapshotType;
import io.github.reactivekoyeb.snapshots.retention.RetentionDecision.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Snapshots for the retention tests, and what a plan decided for them. */
final class Snapshots {

    private Snapshots() {
    }

    /** An AVAILABLE snapshot of vol-1 named {@code nightly-<id>}, created (and updated) at that instant. */
    static Snapshot snap(String id, String createdAt) {
        return snap(id, "vol-1", Instant.parse(createdAt));
    }

    static Snapshot snap(String id, @Nullable String volume, Instant createdAt) {
        return new Snapshot(id, "nightly-" + id, 1L << 30, createdAt, createdAt, null, "org-1", volume, "fra",
                SnapshotStatus.AVAILABLE, SnapshotType.LOCAL);
    }

    static Snapshot withStatus(Snapshot s, SnapshotStatus status) {
        return new Snapshot(s.id(), s.name(), s.size(), s.createdAt(), s.updatedAt(), s.deletedAt(), s.organizationId(),
                s.parentVolumeId(), s.region(), status, s.type());
    }

    static Snapshot withName(Snapshot s, @Nullable String name) {
        return new Snapshot(s.id(), name, s.size(), s.createdAt(), s.updatedAt(), s.deletedAt(), s.organizationId(),
                s.parentVolumeId(), s.region(), s.status(), s.type());
    }

    /** {@code count} snapshots of a volume, one every {@code every} from {@code first}, ids {@code <prefix>0001}... */
    static List<Snapshot> every(String prefix, String volume, Instant first, Duration every, int count) {
        List<Snapshot> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(snap(String.format("%s%04d", prefix, i + 1), volume, first.plus(every.multipliedBy(i))));
        }
        return all;
    }

    /** The ids of the snapshots a plan gives an action, in the plan's order. */
    static List<String> ids(RetentionPlan plan, Action action) {
        return plan.decisions().stream().filter(d -> d.action() == action).map(d -> d.snapshot().id()).toList();
    }

    /** Each snapshot's reasons, by id. */
    static Map<String, List<String>> reasons(RetentionPlan plan) {
        return plan.decisions().stream().collect(Collectors.toMap(d -> d.snapshot().id(), RetentionDecision::reasons));
    }
}
