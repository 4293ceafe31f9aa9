package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.schedule.SnapshotSchedule;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * {@code koyeb.snapshots.schedules.<name>.*}: as many {@link SnapshotSchedule}s as the application
 * names, each run on its cron ({@link ScheduledSnapshots}), each value checked at start-up and
 * reported by its full property name. See {@link ScheduleProperties} for one schedule's properties.
 */
@ConfigurationProperties(prefix = "koyeb.snapshots")
public class SnapshotSchedulesProperties implements Validator {

    /** The prefix of the schedules: {@value}. */
    public static final String PREFIX = "koyeb.snapshots.schedules";

    /** The snapshot schedules, by name: each takes, waits, prunes and is watched on its own cron. */
    private Map<String, ScheduleProperties> schedules = new LinkedHashMap<>();

    /** Creates the properties; Spring binds them. */
    public SnapshotSchedulesProperties() {
    }

    /**
     * The schedules, by name.
     *
     * @return the schedules' properties
     */
    public Map<String, ScheduleProperties> getSchedules() {
        return schedules;
    }

    /**
     * Sets the schedules.
     *
     * @param schedules the schedules' properties, by name
     */
    public void setSchedules(Map<String, ScheduleProperties> schedules) {
        this.schedules = schedules;
    }

    /**
     * The enabled schedules, each with its fleet lock's settings.
     *
     * @return the schedules, in the order of the properties
     * @throws IllegalArgumentException naming the first invalid property
     */
    List<Configured> toSchedules() {
        List<Configured> configured = new ArrayList<>();
        schedules.forEach((name, properties) -> {
            if (properties.named(name).isEnabled()) {
                configured.add(new Configured(properties.toSchedule(), properties.toLock()));
            }
        });
        return configured;
    }

    /** A schedule with its lock. */
    record Configured(SnapshotSchedule schedule, ScheduledRetention.LockSettings lock) {
    }

    @Override
    public boolean supports(Class<?> clazz) {
        return SnapshotSchedulesProperties.class.isAssignableFrom(clazz);
    }

    @Override
    public void validate(Object target, Errors errors) {
        SnapshotSchedulesProperties p = (SnapshotSchedulesProperties) target;
        p.schedules.forEach((name, properties) -> {
            if (!properties.named(name).isEnabled()) {
                return;
            }
            for (Runnable check : new Runnable[] {properties::toSchedule, properties::toLock}) {
                try {
                    check.run();
                } catch (IllegalArgumentException | DateTimeException e) {
                    errors.reject("invalid", String.valueOf(e.getMessage()));
                }
            }
        });
    }

    @Override
    public String toString() {
        return "SnapshotSchedulesProperties" + schedules.values();
    }
}
