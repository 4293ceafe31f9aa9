package io.github.reactivekoyeb.snapshots.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The queue in front of the client's own pool: one permit per connection, first come first served. */
class RequestGateTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void exchangesBeyondThePermitsWaitAndRunInTheOrderTheyCame() {
        RequestGate gate = new RequestGate(2, 100, LONG);
        List<Sinks.One<String>> replies = new ArrayList<>();
        Queue<Integer> started = new ConcurrentLinkedQueue<>();
        List<String> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            Sinks.One<String> reply = Sinks.one();
            replies.add(reply);
            gate.guard(Mono.defer(() -> {
                started.add(n);
                return reply.asMono();
            })).subscribe(results::add);
        }
        assertThat(started).containsExactly(0, 1);
        assertThat(gate.waiting()).isEqualTo(3);
        replies.get(1).tryEmitValue("one");
        assertThat(started).containsExactly(0, 1, 2);
        replies.get(0).tryEmitError(new IllegalStateException("a failed exchange gives its permit back too"));
        assertThat(started).containsExactly(0, 1, 2, 3);
        replies.get(2).tryEmitValue("two");
        replies.get(3).tryEmitValue("three");
        replies.get(4).tryEmitValue("four");
        assertThat(results).containsExactly("one", "two", "three", "four");
        assertThat(gate.free()).isEqualTo(2);
        assertThat(gate.waiting()).isZero();
    }

    @Test
    void aWaiterCancelledLeavesTheQueueAtOnceAndNeverRuns() {
        RequestGate gate = new RequestGate(1, 100, LONG);
        Sinks.One<String> first = Sinks.one();
        gate.guard(first.asMono()).subscribe();
        AtomicInteger ran = new AtomicInteger();
        List<Disposable> waiters = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            waiters.add(gate.guard(Mono.fromRunnable(ran::incrementAndGet)).subscribe());
        }
        assertThat(gate.waiting()).isEqualTo(50);
        waiters.forEach(Disposable::dispose);
        assertThat(gate.waiting()).isZero();
        first.tryEmitValue("done");
        assertThat(ran).hasValue(0);
        assertThat(gate.free()).isEqualTo(1);
    }

    @Test
    void aCancelledExchangeGivesItsPermitToTheNextWaiter() {
        RequestGate gate = new RequestGate(1, 100, LONG);
        Disposable running = gate.guard(Mono.never()).subscribe();
        AtomicInteger ran = new AtomicInteger();
        gate.guard(Mono.fromRunnable(ran::incrementAndGet)).subscribe();
        assertThat(ran).hasValue(0);
        running.dispose();
        assertThat(ran).hasValue(1);
        assertThat(gate.free()).isEqualTo(1);
    }

    @Test
    void aFullQueueRefusesAtOnce() {
        RequestGate gate = new RequestGate(1, 2, LONG);
        gate.guard(Mono.never()).subscribe();
        gate.guard(Mono.never()).subscribe();
        gate.guard(Mono.never()).subscribe();
        StepVerifier.create(gate.guard(Mono.just("x")))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RequestGate.Refused.class)
                        .hasMessage("the queue for a pooled connection is full (2 waiting); nothing was sent"))
                .verify(Duration.ofSeconds(5));
        assertThat(gate.waiting()).isEqualTo(2);
    }

    @Test
    void aWaitLongerThanTheLimitIsRefusedAndLeavesTheQueue() {
        RequestGate gate = new RequestGate(1, 10, Duration.ofMillis(50));
        gate.guard(Mono.never()).subscribe();
        StepVerifier.create(gate.guard(Mono.just("x")))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RequestGate.Refused.class)
                        .hasMessageContaining("no pooled connection was free within 50 ms"))
                .verify(Duration.ofSeconds(5));
        assertThat(gate.waiting()).isZero();
        assertThat(gate.free()).isZero();
    }

    @Test
    void cancelsAndEndsRacingOnManyThreadsNeverLoseOrDoubleAPermit() throws InterruptedException {
        RequestGate gate = new RequestGate(4, 100_000, LONG);
        int threads = 4;
        int rounds = 20_000;
        CountDownLatch done = new CountDownLatch(threads);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            long seed = 1_000 + t;
            new Thread(() -> {
                Random random = new Random(seed);
                Queue<Sinks.Empty<Void>> open = new ArrayDeque<>();
                Queue<Disposable> subscribed = new ArrayDeque<>();
                for (int i = 0; i < rounds; i++) {
                    Sinks.Empty<Void> end = Sinks.empty();
                    open.add(end);
                    subscribed.add(gate.guard(Mono.defer(() -> {
                        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        return end.asMono();
                    }).doOnTerminate(inside::decrementAndGet).doOnCancel(inside::decrementAndGet)).subscribe());
                    if (open.size() > 8) {
                        Sinks.Empty<Void> oldest = open.poll();
                        Disposable subscription = subscribed.poll();
                        if (random.nextBoolean()) {
                            subscription.dispose();
                        } else {
                            oldest.tryEmitEmpty();
                        }
                    }
                }
                subscribed.forEach(Disposable::dispose);
                done.countDown();
            }).start();
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mostInside.get()).as("never more exchanges at once than permits").isLessThanOrEqualTo(4);
        assertThat(gate.waiting()).isZero();
        assertThat(gate.free()).as("every permit back").isEqualTo(4);
    }
}
