package io.github.reactivekoyeb.snapshots.autoconfigure;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The schedules' health report, whichever Spring Boot line reports it: {@link ScheduleHealthIndicator}
 * on Boot 4, {@link #boot3Indicator} on Boot 3.5. This one artifact is compiled against Boot 4, where
 * Boot 3.5's {@code org.springframework.boot.actuate.health} package no longer exists; its indicator
 * is therefore made at run time, only on Boot 3.5, as a proxy of that interface whose
 * {@code health()} builds the same report through Boot 3.5's own {@code Health.Builder}.
 */
final class ScheduleHealth {

    /** The health contributor's name: {@value}. */
    static final String NAME = "koyebSnapshotSchedules";
    /** The health group the indicator is in: {@value}. */
    static final String GROUP = "koyeb-snapshots";
    /** Boot 3.5's health indicator interface. */
    static final String BOOT3_INDICATOR = "org.springframework.boot.actuate.health.HealthIndicator";

    private final ObjectProvider<ScheduleTracker> tracker;

    ScheduleHealth(ObjectProvider<ScheduleTracker> tracker) {
        this.tracker = tracker;
    }

    /** The report now; UNKNOWN with a reason when the schedules do not run (no client). */
    ScheduleTracker.Report report() {
        ScheduleTracker t = tracker.getIfAvailable();
        return t != null ? t.report() : new ScheduleTracker.Report(ScheduleTracker.State.UNKNOWN,
                Map.of("reason", "the schedules do not run: the application has no Koyeb snapshots client"));
    }

    /** A Boot 3.5 {@code HealthIndicator} of this report. */
    Object boot3Indicator(ClassLoader loader) throws ReflectiveOperationException {
        Class<?> indicator = Class.forName(BOOT3_INDICATOR, false, loader);
        Class<?> builder = Class.forName("org.springframework.boot.actuate.health.Health$Builder", false, loader);
        Method status = builder.getMethod("status", String.class);
        Method withDetails = builder.getMethod("withDetails", Map.class);
        Method build = builder.getMethod("build");
        InvocationHandler handler = (proxy, method, args) -> {
            switch (method.getName()) {
                case "health":
                    ScheduleTracker.Report report = report();
                    Object health = builder.getConstructor().newInstance();
                    status.invoke(health, report.state().name());
                    withDetails.invoke(health, report.details());
                    return build.invoke(health);
                case "toString":
                    return "ScheduleHealthIndicator (Boot 3.5)";
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    return InvocationHandler.invokeDefault(proxy, method, args);
            }
        };
        return Proxy.newProxyInstance(loader, new Class<?>[] {indicator}, handler);
    }
}
