package io.github.reactivekoyeb.snapshots.retention;

import java.time.LocalDateTime;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * The counted rules of a {@link RetentionPolicy}, each with its bucket: restic's {@code forget}
 * buckets, computed from the wall-clock time in the policy's zone (in the hour that a change of the
 * clocks repeats, both occurrences are one hourly bucket, as in restic).
 */
enum Rule {
    LAST("last"),
    HOURLY("hourly"),
    DAILY("daily"),
    WEEKLY("weekly"),
    MONTHLY("monthly"),
    YEARLY("yearly");

    /** The rule's name in reasons, e.g. {@code daily #3}. */
    final String label;

    Rule(String label) {
        this.label = label;
    }

    /** The bucket of a snapshot: its index in the walk for {@link #LAST}, else a number for its period. */
    long bucket(LocalDateTime t, int index) {
        return switch (this) {
            case LAST -> index;
            case HOURLY -> ((t.getYear() * 100L + t.getMonthValue()) * 100 + t.getDayOfMonth()) * 100 + t.getHour();
            case DAILY -> (t.getYear() * 100L + t.getMonthValue()) * 100 + t.getDayOfMonth();
            case WEEKLY -> t.get(IsoFields.WEEK_BASED_YEAR) * 100L + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            case MONTHLY -> t.getYear() * 100L + t.getMonthValue();
            case YEARLY -> t.getYear();
        };
    }

    /** The period a bucket stands for, as a person reads it, e.g. {@code day 2026-12-06}. */
    String period(LocalDateTime t) {
        return switch (this) {
            case LAST -> "position";
            case HOURLY -> String.format(Locale.ROOT, "hour %04d-%02d-%02d %02d:00", t.getYear(), t.getMonthValue(),
                    t.getDayOfMonth(), t.getHour());
            case DAILY -> String.format(Locale.ROOT, "day %04d-%02d-%02d", t.getYear(), t.getMonthValue(),
                    t.getDayOfMonth());
            case WEEKLY -> String.format(Locale.ROOT, "week %04d-W%02d", t.get(IsoFields.WEEK_BASED_YEAR),
                    t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case MONTHLY -> String.format(Locale.ROOT, "month %04d-%02d", t.getYear(), t.getMonthValue());
            case YEARLY -> String.format(Locale.ROOT, "year %04d", t.getYear());
        };
    }
}
