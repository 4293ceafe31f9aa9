package io.github.reactivekoyeb.snapshots.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;

import org.jspecify.annotations.Nullable;

/**
 * Reads RFC 3339 timestamps, the form of every timestamp the API sends.
 *
 * <p>The common form ({@code 2026-03-14T09:26:53.589793Z}, any fraction, {@code Z} or an offset)
 * is read by hand: {@link Instant#parse} goes through {@code DateTimeFormatter}, whose
 * field maps made it the largest single cost of decoding a page. Anything else (a space between
 * date and time, no offset, an offset without a colon) goes to a lenient formatter.
 */
final class Rfc3339 {

    private static final DateTimeFormatter LENIENT = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHmm", "Z").optionalEnd()
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);

    private Rfc3339() {
    }

    /**
     * Parses a timestamp; without an offset it is read as UTC.
     *
     * @throws DateTimeParseException when it is not a timestamp
     */
    static Instant parse(String text) {
        Instant fast = parseStrict(text);
        return fast != null ? fast : parseLenient(text);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM)}, or null when the text is not exactly that. */
    private static @Nullable Instant parseStrict(String s) {
        int len = s.length();
        if (len < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != 't')
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < len && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            int count = i - start;
            if (count == 0 || count > 9) {
                return null;
            }
            nanos = digits(s, start, count);
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        if (i >= len) {
            return null;
        }
        int offsetSeconds;
        char zone = s.charAt(i);
        if ((zone == 'Z' || zone == 'z') && i + 1 == len) {
            offsetSeconds = 0;
        } else if ((zone == '+' || zone == '-') && i + 6 == len && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if ((oh | om) < 0 || oh > 18 || om > 59) {
                return null;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (zone == '-' ? -1 : 1);
        } else {
            return null;
        }
        try {
            long epochDay = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
        } catch (DateTimeException e) {
            return null; // e.g. February 30th: let the lenient path report it
        }
    }

    /** The decimal value of {@code count} digits at {@code from}, or -1 if one is not a digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static Instant parseLenient(String text) {
        TemporalAccessor parsed = LENIENT.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
        if (parsed instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        return ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    }
}
