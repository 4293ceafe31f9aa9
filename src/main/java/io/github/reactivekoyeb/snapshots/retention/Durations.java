package io.github.reactivekoyeb.snapshots.retention;

import java.time.Duration;

/** Durations as the plan's reasons and tables write them: {@code 30d}, {@code 1d12h}, {@code 90m}. */
final class Durations {

    private Durations() {
    }

    /** Days, hours, minutes and seconds, the zero parts left out; milliseconds only below a second. */
    static String compact(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            return d.toMillis() + "ms";
        }
        StringBuilder s = new StringBuilder(d.isNegative() ? "-" : "");
        Duration rest = d.abs();
        append(s, rest.toDays(), "d");
        append(s, rest.toHoursPart(), "h");
        append(s, rest.toMinutesPart(), "m");
        append(s, rest.toSecondsPart(), "s");
        return s.toString();
    }

    private static void append(StringBuilder s, long value, String unit) {
        if (value != 0) {
            s.append(value).append(unit);
        }
    }
}
