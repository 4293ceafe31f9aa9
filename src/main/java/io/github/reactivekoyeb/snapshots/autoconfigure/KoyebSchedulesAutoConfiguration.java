package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.schedule.SnapshotSchedules;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Snapshot schedules in Spring Boot, when the application names some under
 * {@code koyeb.snapshots.schedules.<name>.*}: a {@link SnapshotSchedules} bean on the application's
 * client, a {@link ScheduledSnapshots} that runs each schedule on its cron (under the fleet's
 * ShedLock lock when the application has a {@code LockProvider} bean), time gauges when Micrometer
 * and a {@code MeterRegistry} are there, and a health indicator {@code koyebSnapshotSchedules} in
 * the health group {@code koyeb-snapshots} when Actuator is (never in liveness or readiness).
 * {@code koyeb.snapshots.retention.*} is separate and unchanged.
 */
@AutoConfiguration(after = {KoyebSnapshotsAutoConfiguration.class, KoyebRetentionAutoConfiguration.class}, afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@Conditional(KoyebSchedulesAutoConfiguration.OnSchedules.class)
@EnableConfigurationProperties(SnapshotSchedulesProperties.class)
public class KoyebSchedulesAutoConfiguration {

    /** Creates the configuration; Spring does this. */
    public KoyebSchedulesAutoConfiguration() {
    }

    /** The schedules on the application's client. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(ReactiveSnapshotsClient.class)
    static class RunConfiguration {

        @Bean
        @ConditionalOnMissingBean
        SnapshotSchedules snapshotSchedules(ReactiveSnapshotsClient client) {
            return SnapshotSchedules.of(client);
        }

        @Bean
        @ConditionalOnMissingBean
        ScheduleTracker koyebSnapshotScheduleTracker(SnapshotSchedulesProperties properties) {
            return new ScheduleTracker(properties.toSchedules().stream().map(SnapshotSchedulesProperties.Configured::schedule)
                    .toList(), Clock.systemUTC());
        }

        @Bean
        @ConditionalOnMissingBean
        ScheduledSnapshots scheduledSnapshots(SnapshotSchedules schedules, SnapshotSchedulesProperties properties,
                ScheduleTracker tracker, ObjectProvider<ScheduledSnapshots.ScheduleMeters> meters,
                ObjectProvider<FleetLock> lock) {
            return new ScheduledSnapshots(schedules, properties.toSchedules(), tracker,
                    meters.getIfAvailable(() -> ScheduledSnapshots.ScheduleMeters.NONE),
                    lock.getIfAvailable(() -> FleetLock.NONE));
        }
    }

    /** The gauges and counters, with Micrometer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean({MeterRegistry.class, ReactiveSnapshotsClient.class})
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ScheduledSnapshots.ScheduleMeters koyebSnapshotScheduleMeters(MeterRegistry registry, ScheduleTracker tracker) {
            return new MicrometerScheduleMeters(registry, tracker);
        }
    }

    /** The health indicator, with Boot 4's {@code spring-boot-health} or Boot 3.5's Actuator. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(OnHealth.class)
    @ConditionalOnProperty(name = ScheduleHealthGroup.ENABLED, matchIfMissing = true)
    static class HealthConfiguration {

        @Bean(name = ScheduleHealth.BEAN)
        @ConditionalOnMissingBean(name = ScheduleHealth.BEAN)
        FactoryBean<Object> koyebSnapshotSchedulesHealthIndicator(ObjectProvider<ScheduleTracker> tracker) {
            String line = ClassUtils.isPresent(ScheduleHealth.BOOT4 + ".HealthIndicator",
                    KoyebSchedulesAutoConfiguration.class.getClassLoader()) ? ScheduleHealth.BOOT4 : ScheduleHealth.BOOT3;
            return new ScheduleHealth(tracker).indicator(line);
        }
    }

    /** Matches when either line's {@code HealthIndicator} is there. */
    static final class OnHealth extends AnyNestedCondition {
        OnHealth() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnClass(name = ScheduleHealth.BOOT4 + ".HealthIndicator")
        static final class Boot4 {
        }

        @ConditionalOnClass(name = ScheduleHealth.BOOT3 + ".HealthIndicator")
        static final class Boot3 {
        }
    }

    /** Matches when at least one schedule is named under {@code koyeb.snapshots.schedules}. */
    static final class OnSchedules extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            boolean named = Binder.get(context.getEnvironment())
                    .bind(SnapshotSchedulesProperties.PREFIX, Bindable.mapOf(String.class, Object.class))
                    .map(m -> !m.isEmpty()).orElse(false);
            return named ? ConditionOutcome.match("koyeb.snapshots.schedules names schedules")
                    : ConditionOutcome.noMatch("no koyeb.snapshots.schedules");
        }
    }
}
