package io.github.reactivekoyeb.snapshots.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The limiter's queue in virtual time: how it lets waiting requests go. */
class PacedQueueTest {

    private static final long MS = 1_000_000L;

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final List<Long> granted = new ArrayList<>();
    private final PacedQueue queue = new PacedQueue(Duration.ofSeconds(30).toNanos(), time, this::now, granted::add);

    private long now() {
        return time.now(TimeUnit.NANOSECONDS);
    }

    /** Queues {@code count} requests; each permit's time goes to {@link #granted} as the queue grants it. */
    private void ask(int count) {
        for (int i = 0; i < count; i++) {
            Mono.create(queue::enqueue).subscribe();
        }
    }

    /** The permits granted, counted by the millisecond they were granted in. */
    private Map<Long, Integer> grantsByMillisecond() {
        Map<Long, Integer> groups = new TreeMap<>();
        for (long at : granted) {
            groups.merge(at / MS, 1, Integer::sum);
        }
        return groups;
    }

    @Test
    void waitingRequestsGoInGroupsOfThirtyMillisecondsOfTheRate() {
        queue.start(now(), 150);
        ask(100);
        time.advanceTimeBy(Duration.ofMillis(400));
        Map<Long, Integer> groups = grantsByMillisecond();
        // 30 ms of 150/s is 4.5 tokens: groups of 4, every 4 / 150 s (26.7 ms)
        assertThat(groups.values()).as("requests granted together, by millisecond").hasSizeGreaterThanOrEqualTo(14)
                .containsOnly(4);
        List<Long> at = new ArrayList<>(groups.keySet());
        for (int i = 1; i < at.size(); i++) {
            assertThat(at.get(i) - at.get(i - 1)).as("ms between groups").isBetween(26L, 27L);
        }
        assertThat(granted).as("the rate is kept: 150/s over 400 ms").hasSizeBetween(56, 60);
    }

    @Test
    void aSlowRateLetsRequestsGoOneByOne() {
        queue.start(now(), 20); // 30 ms of it is 0.6 tokens: one at a time
        ask(20);
        time.advanceTimeBy(Duration.ofMillis(500));
        Map<Long, Integer> groups = grantsByMillisecond();
        assertThat(groups.values()).hasSizeGreaterThanOrEqualTo(9).containsOnly(1);
        assertThat(groups.keySet()).first().isEqualTo(50L);
    }

    @Test
    void aRequestAloneWaitsForOneTokenNotForAGroup() {
        queue.start(now(), 150);
        ask(1);
        time.advanceTimeBy(Duration.ofMillis(6));
        assertThat(granted).isEmpty();
        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(granted).as("one token of 150/s: 6.7 ms").hasSize(1);
        ask(2); // at 7 ms, with 0.05 tokens
        time.advanceTimeBy(Duration.ofMillis(12));
        assertThat(granted).hasSize(1);
        time.advanceTimeBy(Duration.ofMillis(2));
        assertThat(granted).as("two wait for two tokens (at 20 ms), not for a group of four (33 ms)").hasSize(3);
    }

    @Test
    void aPauseHoldsEveryRequestAndTheBucketGainsNothingMeanwhile() {
        queue.start(now(), 150);
        queue.pause(now(), now() + Duration.ofSeconds(1).toNanos());
        ask(10);
        time.advanceTimeBy(Duration.ofMillis(999));
        assertThat(granted).isEmpty();
        time.advanceTimeBy(Duration.ofMillis(30));
        // no tokens were earned in the pause: after it, the first group once 4 tokens are earned
        assertThat(grantsByMillisecond()).containsOnlyKeys(1026L);
    }
}
