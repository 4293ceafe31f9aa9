package io.github.reactivekoyeb.snapshots.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Decides which requests get something else than the store's answer, in this order: the
 * expectations ({@code expect(...)}, answered in order; a request that does not match the next
 * one is unexpected), a storm ({@code failFor}), the queue of scripted answers
 * ({@code enqueue}), the seeded random faults. Thread-safe.
 */
final class FaultScript {

    /** One expected request, and its answer (null: whatever would answer it otherwise). */
    private record Expectation(String method, String path, @Nullable FakeResponse answer) {
        boolean matches(RecordedRequest request) {
            if (!method.equals(request.method())) {
                return false;
            }
            int q = path.indexOf('?');
            return q < 0 ? path.equals(request.path())
                    : path.substring(0, q).equals(request.path()) && path.substring(q + 1).equals(request.rawQuery());
        }

        @Override
        public String toString() {
            return method + ' ' + path;
        }
    }

    private record Storm(Instant until, FakeResponse response) {
    }

    /** Random is thread-safe and lock-free. */
    private record RandomFaults(double probability, Random random, List<FakeResponse> faults) {
        @Nullable FakeResponse draw() {
            return random.nextDouble() < probability ? faults.get(random.nextInt(faults.size())) : null;
        }
    }

    private final Clock clock;
    private final Queue<FakeResponse> queue = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Expectation> expected = new ArrayDeque<>();
    private final List<String> unexpected = new ArrayList<>();
    private final AtomicLong faultsServed = new AtomicLong();
    private volatile boolean expecting;
    private volatile @Nullable Storm storm;
    private volatile @Nullable RandomFaults random;

    FaultScript(Clock clock) {
        this.clock = clock;
    }

    void enqueue(int count, FakeResponse response) {
        for (int i = 0; i < count; i++) {
            queue.add(response);
        }
    }

    void stormFor(Duration window, FakeResponse response) {
        storm = new Storm(clock.instant().plus(window), response);
    }

    void randomFaults(double probability, long seed, List<FakeResponse> faults) {
        random = probability == 0 ? null : new RandomFaults(probability, new Random(seed), List.copyOf(faults));
    }

    synchronized void expect(String method, String path, @Nullable FakeResponse answer) {
        expected.add(new Expectation(method, path, answer));
        expecting = true;
    }

    /** Fails, naming them, when an expected request did not come or an unexpected one did. */
    synchronized void verify() {
        if (expected.isEmpty() && unexpected.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder("the fake Koyeb server's expectations were not met:");
        if (!expected.isEmpty()) {
            message.append("\n  expected, not received: ").append(expected);
        }
        if (!unexpected.isEmpty()) {
            message.append("\n  received, not expected: ").append(unexpected);
        }
        throw new AssertionError(message.toString());
    }

    /** Drops what is scripted and expected, ends a storm and stops random faults. */
    synchronized void clear() {
        queue.clear();
        expected.clear();
        unexpected.clear();
        expecting = false;
        storm = null;
        random = null;
    }

    long faultsServed() {
        return faultsServed.get();
    }

    /** {@link #clear()}, and the count of faults served back to 0. */
    void reset() {
        clear();
        faultsServed.set(0);
    }

    /** The scripted answer to this request, or null when the store answers it. */
    @Nullable FakeResponse next(RecordedRequest request) {
        FakeResponse scripted = expecting ? fromExpectations(request) : null;
        if (scripted == null) {
            Storm current = storm;
            scripted = current != null && clock.instant().isBefore(current.until()) ? current.response() : queue.poll();
        }
        RandomFaults draws = random;
        if (scripted == null && draws != null) {
            scripted = draws.draw();
        }
        if (scripted != null && scripted.kind() != FakeResponse.Kind.DELAY_THEN_STORE) {
            faultsServed.incrementAndGet();
        }
        return scripted;
    }

    private synchronized @Nullable FakeResponse fromExpectations(RecordedRequest request) {
        Expectation next = expected.peek();
        if (next == null || !next.matches(request)) {
            unexpected.add(request.toString());
            return FakeResponse.json(500, FakeJson.errorBody(500, "unexpected_request", "the fake server did not"
                    + " expect " + request + (next == null ? "" : "; it expected " + next), List.of()));
        }
        expected.poll();
        return next.answer();
    }
}
