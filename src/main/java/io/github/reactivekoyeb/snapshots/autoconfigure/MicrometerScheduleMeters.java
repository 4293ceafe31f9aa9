package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.schedule.ScheduleRun;
import io.github.reactivekoyeb.snapshots.schedule.SnapshotSchedule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The schedules on Micrometer (see {@link ScheduledSnapshots}): time gauges read from the
 * {@link ScheduleTracker} (NaN until known), counters and a timer of the runs.
 */
final class MicrometerScheduleMeters implements ScheduledSnapshots.ScheduleMeters {

    static final String NEWEST = "koyeb.snapshots.schedule.newest.snapshot";
    static final String LAST_SUCCESS = "koyeb.snapshots.schedule.last.success";
    static final String RUNS = "koyeb.snapshots.schedule.runs";
    static final String DURATION = "koyeb.snapshots.schedule.duration";

    private final MeterRegistry registry;

    MicrometerScheduleMeters(MeterRegistry registry, ScheduleTracker tracker) {
        this.registry = registry;
        for (SnapshotSchedule schedule : tracker.schedules()) {
            String name = schedule.name();
            for (String volume : schedule.volumes()) {
                gauge(NEWEST, "When the newest snapshot of a volume managed by a schedule was created",
                        () -> tracker.newest(name, volume)).tag("schedule", name).tag("volume", volume)
                        .register(registry);
            }
            gauge(LAST_SUCCESS, "When the last run of a schedule that failed nothing ended",
                    () -> tracker.lastSuccess(name)).tag("schedule", name).register(registry);
        }
    }

    private static TimeGauge.Builder<Supplier<Optional<Instant>>> gauge(String meter, String description,
            Supplier<Optional<Instant>> time) {
        return TimeGauge.builder(meter, time, TimeUnit.MILLISECONDS,
                t -> t.get().map(i -> (double) i.toEpochMilli()).orElse(Double.NaN)).description(description)
                .strongReference(true);
    }

    @Override
    public void ran(ScheduleRun run) {
        String name = run.schedule().name();
        Counter.builder(RUNS).description("Snapshot schedule runs").tag("schedule", name)
                .tag("outcome", run.succeeded() ? "success" : "partial").register(registry).increment();
        Timer.builder(DURATION).description("How long a snapshot schedule run took").tag("schedule", name)
                .register(registry).record(run.took());
    }

    @Override
    public void skipped(SnapshotSchedule schedule) {
        Counter.builder(RUNS).description("Snapshot schedule runs").tag("schedule", schedule.name())
                .tag("outcome", "skipped").register(registry).increment();
    }
}
