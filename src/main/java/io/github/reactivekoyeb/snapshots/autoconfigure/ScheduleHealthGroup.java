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
 * never adds the indicator to liveness or readiness. Registered for Boot 3.5 and 4 (see
 * {@link Boot4} and {@link Boot3}).
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

    /** Boot 4's hook. */
    static final class Boot4 implements org.springframework.boot.EnvironmentPostProcessor, Ordered {
        @Override
        public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
            addTo(environment);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    /** Boot 3.5's hook (deprecated, and still read, on Boot 4: adding twice is harmless). */
    @SuppressWarnings("deprecation")
    static final class Boot3 implements org.springframework.boot.env.EnvironmentPostProcessor, Ordered {
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
