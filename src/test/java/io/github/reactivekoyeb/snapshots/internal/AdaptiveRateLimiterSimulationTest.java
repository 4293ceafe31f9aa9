package io.github.reactivekoyeb.snapshots.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The figures for the adaptive limiter, in virtual time (the same scenarios over real HTTP
 * are S8 of the benchmarks), each at one-way latencies of 1, 3 and 5 ms (at 8 ms, 1,000/s gives 88%): with 400 callers that call
 * again as soon as their call ends, for 12 s, at least 99% of calls get their value, and in the
 * second half at most 5% of requests are refused with 429 while at least 90% of what the API could
 * admit is admitted; two replicas that share nothing get 90% of it together and a third each. A
 * limit that changes at 6 s is followed: the same figures in the last 6 s of a 16 s run, from 4 s
 * after the change.
 */
class AdaptiveRateLimiterSimulationTest {

    static Stream<Arguments> scenarios() {
        return Stream.of(1, 3, 5).flatMap(ms -> Stream.of(
                Arguments.of("20/s", (DoubleUnaryOperator) t -> 20, 1, ms, 12),
                Arguments.of("150/s", (DoubleUnaryOperator) t -> 150, 1, ms, 12),
                Arguments.of("1,000/s", (DoubleUnaryOperator) t -> 1_000, 1, ms, 12),
                Arguments.of("150/s, then 60/s from 6 s", (DoubleUnaryOperator) t -> t < 6 ? 150 : 60, 1, ms, 16),
                Arguments.of("150/s, then 300/s from 6 s", (DoubleUnaryOperator) t -> t < 6 ? 150 : 300, 1, ms, 16),
                Arguments.of("150/s, two replicas", (DoubleUnaryOperator) t -> 150, 2, ms, 12)));
    }

    @ParameterizedTest(name = "{0}, {3} ms each way")
    @MethodSource("scenarios")
    void fourHundredCallersPerClientAdaptToTheLimit(String name, DoubleUnaryOperator limit, int replicas, int ms,
            int seconds) {
        RateLimitSimulation sim = new RateLimitSimulation(limit, seconds, seconds - 6).oneWay(Duration.ofMillis(ms));
        RateLimitSimulation.Replica[] clients = new RateLimitSimulation.Replica[replicas];
        for (int i = 0; i < replicas; i++) {
            clients[i] = sim.replica(400);
        }
        sim.run();
        double capacity = sim.apiCapacityMeasured();
        long admitted = 0;
        for (RateLimitSimulation.Replica client : clients) {
            System.out.printf("simulated, %s, %d ms: %s; the API could admit %.0f%n", name, ms, client, capacity);
            admitted += client.admittedMeasured;
            assertThat(client.successShare()).as("calls that got their value").isGreaterThanOrEqualTo(0.99);
            assertThat(client.throttledShareMeasured()).as("429s once adapted").isLessThanOrEqualTo(0.05);
            if (replicas > 1) {
                assertThat(client.admittedMeasured / capacity).as("each replica's share").isGreaterThanOrEqualTo(1 / 3.0);
            }
        }
        assertThat(admitted / capacity).as("admitted once adapted").isGreaterThanOrEqualTo(0.9);
    }
}
