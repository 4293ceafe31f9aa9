package io.github.reactivekoyeb.snapshots.autoconfigure;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Puts the schedules' health indicator in a health group of its own, {@code koyeb-snapshots}
 * ({@code /actuator/health/koyeb-snapshots}), when the application has schedules: a default the
 * application's own {@code management.endpoint.health.group.koyeb-snapshots.include} replaces. It
 * never adds the indicator to liveness or readiness. Registered in {@code spring.factories} as
 * {@link Hook}.
 */
final class ScheduleHealthGroup {

    static final String INCLUDE = "management.endpoint.health.group." + ScheduleHealth.GROUP + ".include";
    static final String ENABLED = "management.health.koyeb-snapshots.enabled";
    private static final String SOURCE = "koyebSnapshotSchedulesHealthGroup";

    private ScheduleHealthGroup() {
    }

    static void addTo(ConfigurableEnvironment environment) {
        if (environment.getPropertySources().contains(SOURCE) || environment.containsProperty(INCLUDE)
                || !environment.getProperty(ENABLED, Boolean.class, true)) {
            return;
        }
        boolean schedules = Binder.get(environment)
                .bind(SnapshotSchedulesProperties.PREFIX, Bindable.mapOf(String.class, Object.class))
                .map(m -> !m.isEmpty()).orElse(false);
        if (schedules) {
            environment.getPropertySources().addLast(new MapPropertySource(SOURCE,
                    Map.of(INCLUDE, ScheduleHealth.NAME)));
        }
    }

    /**
     * The hook: Boot 3.5's interface, deprecated and still read on Boot 4 (Boot 4's own
     * {@code org.springframework.boot.EnvironmentPostProcessor} does not exist on Boot 3.5, and this
     * one artifact compiles on both).
     */
    @SuppressWarnings("deprecation")
    static final class Hook implements org.springframework.boot.env.EnvironmentPostProcessor, Ordered {
        @Override
        public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
            addTo(environment);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
