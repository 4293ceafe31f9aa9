package io.github.reactivekoyeb.snapshots.internal;

import java.time.Duration;
import java.util.Objects;

/** The argument checks the builders share, with one wording. */
public final class Checks {

    private Checks() {
    }

    /**
     * Checks that a duration is set and positive.
     *
     * @param value the duration
     * @param name the setting's name, for the message
     * @return the value
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if zero or negative
     */
    public static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }
}
