package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.retention.RetentionOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The scheduled retention's runs on Micrometer (see {@link ScheduledRetention}). */
final class MicrometerRetentionMeters implements ScheduledRetention.RetentionMeters {

    static final String RUNS = "koyeb.snapshots.retention.runs";
    static final String DELETED = "koyeb.snapshots.retention.deleted";
    static final String FAILED = "koyeb.snapshots.retention.failed";
    static final String DURATION = "koyeb.snapshots.retention.duration";

    private final MeterRegistry registry;
    private final Counter deleted;
    private final Counter failed;

    MicrometerRetentionMeters(MeterRegistry registry) {
        this.registry = registry;
        this.deleted = Counter.builder(DELETED).description("Snapshots the scheduled retention deleted")
                .register(registry);
        this.failed = Counter.builder(FAILED).description("Planned deletions that failed").register(registry);
    }

    @Override
    public void succeeded(ScheduledRetention.Run run) {
        record("success", run.dryRun(), run.took());
        deleted.increment(run.count(RetentionOutcome.Result.DELETED));
        failed.increment(run.count(RetentionOutcome.Result.FAILED));
    }

    @Override
    public void failed(Duration took, boolean dryRun) {
        record("error", dryRun, took);
    }

    @Override
    public void skipped() {
        Counter.builder(RUNS).description("Scheduled retention runs").tag("outcome", "skipped")
                .tag("dry.run", "n/a").register(registry).increment();
    }

    private void record(String outcome, boolean dryRun, Duration took) {
        Counter.builder(RUNS).description("Scheduled retention runs").tag("outcome", outcome)
                .tag("dry.run", Boolean.toString(dryRun)).register(registry).increment();
        Timer.builder(DURATION).description("How long a scheduled retention run took").tag("outcome", outcome)
                .register(registry).record(took);
    }
}
