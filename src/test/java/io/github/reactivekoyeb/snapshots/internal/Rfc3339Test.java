package io.github.reactivekoyeb.snapshots.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Rfc3339Test {

    @Test
    void theHandWrittenPathAgreesWithJavaTimeOnRandomTimestamps() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE) * (random.nextBoolean() ? 1L : 2L),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(36) - 18) * 1800);
            String utc = DateTimeFormatter.ISO_INSTANT.format(instant);
            String withOffset = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.ofInstant(instant, offset));
            assertThat(Rfc3339.parse(utc)).as(utc).isEqualTo(instant);
            assertThat(Rfc3339.parse(withOffset)).as(withOffset).isEqualTo(instant);
        }
    }

    @Test
    void lenientFormsAreRead() {
        assertThat(Rfc3339.parse("2000-01-23 04:56:07+00:00")).isEqualTo(Instant.parse("2000-01-23T04:56:07Z"));
        assertThat(Rfc3339.parse("2000-01-23T04:56:07")).isEqualTo(Instant.parse("2000-01-23T04:56:07Z"));
        assertThat(Rfc3339.parse("2000-01-23t04:56:07.5z")).isEqualTo(Instant.parse("2000-01-23T04:56:07.5Z"));
        assertThat(Rfc3339.parse("2000-01-23T04:56:07.5+0130")).isEqualTo(Instant.parse("2000-01-23T03:26:07.5Z"));
        assertThat(Rfc3339.parse("2000-01-23T04:56:07.123456789-05:00")).isEqualTo(Instant.parse("2000-01-23T09:56:07.123456789Z"));
    }

    @Test
    void nonTimestampsAreRejected() {
        for (String bad : new String[] {"yesterday", "2000-02-30T00:00:00Z", "2000-13-01T00:00:00Z", "2000-01-01T24:00:00Z",
                "2000-01-01T00:00:00.1234567890Z", "2000-01-01T00:00:00+25:00", ""}) {
            assertThatThrownBy(() -> Rfc3339.parse(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
        }
    }
}
