package io.github.reactivekoyeb.snapshots.autoconfigure;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The schedules' health report, as a health indicator of whichever Spring Boot line runs: DOWN
 * while a managed volume's newest snapshot is older than its schedule's {@code stale-after} (the
 * stale volumes and their ages in the details), UNKNOWN until every schedule has been read, UP
 * otherwise.
 *
 * <p>Boot 3.5's {@code HealthIndicator} is {@code org.springframework.boot.actuate.health}'s, Boot 4's
 * {@code org.springframework.boot.health.contributor}'s, each with its own {@code Health}; this one
 * artifact is compiled once and runs on both, and neither package exists on the other line. So the
 * indicator is a proxy of the line's interface, made at run time, whose {@code health()} builds the
 * report through that line's own {@code Health.Builder} (the two builders have the same methods).
 * It is made by a {@link FactoryBean} that names the interface, so that Actuator finds it by type.
 */
final class ScheduleHealth {

    /** The health contributor's name: {@value}. */
    static final String NAME = "koyebSnapshotSchedules";
    /** Its bean's name: {@value}. */
    static final String BEAN = NAME + "HealthIndicator";
    /** The health group the indicator is in: {@value}. */
    static final String GROUP = "koyeb-snapshots";
    /** Boot 4's health package. */
    static final String BOOT4 = "org.springframework.boot.health.contributor";
    /** Boot 3.5's health package. */
    static final String BOOT3 = "org.springframework.boot.actuate.health";

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

    /** The factory of the indicator on the line whose health package is {@code healthPackage}. */
    FactoryBean<Object> indicator(String healthPackage) {
        ClassLoader loader = ScheduleHealth.class.getClassLoader();
        return new FactoryBean<>() {
            @Override
            public Object getObject() throws ReflectiveOperationException {
                return proxy(loader, healthPackage);
            }

            @Override
            public Class<?> getObjectType() {
                try {
                    return Class.forName(healthPackage + ".HealthIndicator", false, loader);
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("checked by @ConditionalOnClass", e);
                }
            }
        };
    }

    private Object proxy(ClassLoader loader, String healthPackage) throws ReflectiveOperationException {
        Class<?> indicator = Class.forName(healthPackage + ".HealthIndicator", false, loader);
        Class<?> builder = Class.forName(healthPackage + ".Health$Builder", false, loader);
        Method status = builder.getMethod("status", String.class);
        Method withDetails = builder.getMethod("withDetails", Map.class);
        Method build = builder.getMethod("build");
        InvocationHandler handler = (proxy, method, args) -> {
            switch (method.getName()) {
                case "health":
                    if (method.getParameterCount() > 0) {
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    ScheduleTracker.Report report = report();
                    Object health = builder.getConstructor().newInstance();
                    status.invoke(health, report.state().name());
                    withDetails.invoke(health, report.details());
                    return build.invoke(health);
                case "toString":
                    return "ScheduleHealthIndicator (" + healthPackage + ")";
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
