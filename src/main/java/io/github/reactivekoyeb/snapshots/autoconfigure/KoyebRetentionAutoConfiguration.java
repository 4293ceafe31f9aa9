package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.retention.SnapshotRetention;
import io.micrometer.core.instrument.MeterRegistry;
import net.javacrumbs.shedlock.core.LockProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Snapshot retention in Spring Boot: a {@link SnapshotRetention} bean on the application's
 * {@link ReactiveSnapshotsClient}, and, with {@code koyeb.snapshots.retention.enabled=true}, a
 * {@link ScheduledRetention} that runs the policy of the {@link RetentionProperties} on its cron
 * (dry runs until {@code koyeb.snapshots.retention.dry-run=false}), with meters when Micrometer and
 * a {@code MeterRegistry} are there, under the fleet's ShedLock lock when the application has a
 * {@code LockProvider} bean. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(after = KoyebSnapshotsAutoConfiguration.class, afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnBean(ReactiveSnapshotsClient.class)
public class KoyebRetentionAutoConfiguration {

    /** Creates the configuration; Spring does this. */
    public KoyebRetentionAutoConfiguration() {
    }

    /**
     * Retention on the application's client.
     *
     * @param client the client
     * @return the retention
     */
    @Bean
    @ConditionalOnMissingBean
    public SnapshotRetention snapshotRetention(ReactiveSnapshotsClient client) {
        return SnapshotRetention.of(client);
    }

    /** The scheduled runs, when enabled. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = RetentionProperties.PREFIX, name = "enabled", havingValue = "true")
    @EnableConfigurationProperties(RetentionProperties.class)
    static class ScheduleConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ScheduledRetention scheduledRetention(SnapshotRetention retention, RetentionProperties properties,
                ObjectProvider<ScheduledRetention.RetentionMeters> meters, ObjectProvider<FleetLock> lock) {
            return new ScheduledRetention(retention, properties.toPolicy(), properties.toOptions(), properties.toCron(),
                    properties.isDryRun(), meters.getIfAvailable(() -> ScheduledRetention.RetentionMeters.NONE),
                    lock.getIfAvailable(() -> FleetLock.NONE), properties.toLock());
        }
    }

    /** With ShedLock and a {@code LockProvider} bean (any store): the fleet's lock. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "net.javacrumbs.shedlock.core.LockProvider")
    static class ShedLockConfiguration {

        @Bean
        @ConditionalOnMissingBean(FleetLock.class)
        FleetLock koyebSnapshotsFleetLock(ObjectProvider<LockProvider> provider) {
            LockProvider shedLock = provider.getIfUnique();
            return shedLock == null ? FleetLock.NONE : new ShedLockFleetLock(shedLock);
        }
    }

    /** The runs' meters, with Micrometer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnProperty(prefix = RetentionProperties.PREFIX, name = "enabled", havingValue = "true")
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnBean(MeterRegistry.class)
        @ConditionalOnMissingBean
        ScheduledRetention.RetentionMeters retentionMeters(MeterRegistry registry) {
            return new MicrometerRetentionMeters(registry);
        }
    }
}
