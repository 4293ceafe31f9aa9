package io.github.reactivekoyeb.snapshots.autoconfigure;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The schedules' health on Spring Boot 4 ({@code spring-boot-health}): DOWN while a managed volume's
 * newest snapshot is older than its schedule's {@code stale-after} (the stale volumes and their
 * ages in the details), UNKNOWN until every schedule has been read, UP otherwise. In the health
 * group {@code koyeb-snapshots}, never in liveness or readiness.
 */
final class ScheduleHealthIndicator implements HealthIndicator {

    private final ScheduleHealth health;

    ScheduleHealthIndicator(ScheduleHealth health) {
        this.health = health;
    }

    @Override
    public Health health() {
        ScheduleTracker.Report report = health.report();
        return Health.status(report.state().name()).withDetails(report.details()).build();
    }
}
