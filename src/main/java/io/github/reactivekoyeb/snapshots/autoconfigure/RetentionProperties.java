package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.retention.RetentionPolicy;
import java.time.DateTimeException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * {@code koyeb.snapshots.retention.*}: a {@link RetentionPolicy} that the application runs on a
 * schedule ({@link ScheduledRetention}). Off by default; with {@code enabled=true} it plans the
 * policy at each {@code cron} time and, unless {@code dry-run} (the default: true), applies it.
 *
 * <pre>
 * koyeb.snapshots.retention.enabled=true
 * koyeb.snapshots.retention.cron=0 30 3 * * *
 * koyeb.snapshots.retention.keep-daily=7
 * koyeb.snapshots.retention.keep-weekly=4
 * koyeb.snapshots.retention.keep-monthly=12
 * koyeb.snapshots.retention.zone=Europe/Paris
 * koyeb.snapshots.retention.name-prefix=nightly-
 * koyeb.snapshots.retention.dry-run=false
 * koyeb.snapshots.retention.max-deletions=200
 * </pre>
 *
 * <p>Each value goes through the domain's own check when the application starts: an invalid one
 * fails start-up with that check's message, named by the full property.
 */
@ConfigurationProperties(prefix = RetentionProperties.PREFIX)
public class RetentionProperties extends PolicyProperties implements Validator {

    /** The prefix of these properties: {@value}. */
    public static final String PREFIX = "koyeb.snapshots.retention";

    /** Whether the policy runs on its schedule. */
    private boolean enabled;

    /** The default lock name: {@value}. */
    public static final String DEFAULT_LOCK_NAME = "koyeb-snapshots-retention";

    /** Creates the properties with their defaults; Spring binds them. */
    public RetentionProperties() {
        super(Duration.ofMinutes(30));
    }

    @Override
    protected String defaultLockName() {
        return DEFAULT_LOCK_NAME;
    }

    @Override
    protected String prefix() {
        return PREFIX;
    }

    @Override
    public boolean supports(Class<?> clazz) {
        return RetentionProperties.class.isAssignableFrom(clazz);
    }

    @Override
    public void validate(Object target, Errors errors) {
        RetentionProperties p = (RetentionProperties) target;
        if (!p.enabled) {
            return;
        }
        for (Runnable check : new Runnable[] {p::toPolicy, p::toOptions, p::toCron, p::toLock}) {
            try {
                check.run();
            } catch (IllegalArgumentException | DateTimeException e) {
                errors.reject("invalid", String.valueOf(e.getMessage()));
            }
        }
    }
    /**
     * Whether the policy runs on its schedule; default false.
     *
     * @return true when enabled
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Turns the scheduled runs on or off.
     *
     * @param enabled true to run the policy on its schedule
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }


    @Override
    public String toString() {
        return "RetentionProperties{enabled=" + enabled + ", " + describe() + '}';
    }
}
