package io.github.reactivekoyeb.snapshots.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void secondsAreRead() {
        assertThat(RetryAfter.parse("0", clock)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse(" 120 ", clock)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse("99999999999999999999", clock)).isGreaterThan(Duration.ofDays(365));
    }

    @Test
    void httpDatesAreMeasuredAgainstTheClock() {
        assertThat(RetryAfter.parse("Fri, 27 Nov 2026 10:00:30 GMT", clock)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Fri, 27 Nov 2026 09:00:00 GMT", clock)).isEqualTo(Duration.ZERO);
    }

    @Test
    void anythingElseIsIgnored() {
        assertThat(RetryAfter.parse(null, clock)).isNull();
        assertThat(RetryAfter.parse("", clock)).isNull();
        assertThat(RetryAfter.parse("-5", clock)).isNull();
        assertThat(RetryAfter.parse("1.5", clock)).isNull();
        assertThat(RetryAfter.parse("tomorrow", clock)).isNull();
    }
}
