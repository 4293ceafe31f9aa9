package io.github.reactivekoyeb.snapshots.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The issues' figures for the adaptive limiter, in virtual time (the same scenarios over real HTTP
 * are S8 of the benchmarks).
 *
 * <p>One client, at one-way latencies of 1, 3 and 5 ms (at 8 ms, 1,000/s gives 88%): with 400
 * callers that call again as soon as their call ends, for 12 s, at least 99% of calls get their
 * value, and in the second half at most 5% of requests are refused with 429 while at least 90% of
 * what the API could admit is admitted. A limit that changes at 6 s is followed: the same figures
 * in the last 6 s of a 16 s run, from 4 s after the change.
 *
 * <p>Replicas that share nothing, with a random jitter of up to 2 ms each way (seeded: without it,
 * identical replicas would stay identical), over ten seeds: two of 200 callers, four of 100, both
 * again started 5 ms apart (as S8 starts them: the first takes the whole bucket), and
 * two that start 5 s apart. Each replica's share of what was admitted is printed; the bounds below
 * are the model's, checked so that a change that makes sharing worse fails (S8 measures the real
 * thing). A stray 429 met by a quiet client does not slow the listing it starts 2 s later; a client
 * that keeps meeting 429s is paced.
 */
class AdaptiveRateLimiterSimulationTest {

    private static final int SEEDS = 10;

    static Stream<Arguments> scenarios() {
        return Stream.of(1, 3, 5).flatMap(ms -> Stream.of(
                Arguments.of("20/s", (DoubleUnaryOperator) t -> 20, ms, 12),
                Arguments.of("150/s", (DoubleUnaryOperator) t -> 150, ms, 12),
                Arguments.of("1,000/s", (DoubleUnaryOperator) t -> 1_000, ms, 12),
                Arguments.of("150/s, then 60/s from 6 s", (DoubleUnaryOperator) t -> t < 6 ? 150 : 60, ms, 16),
                Arguments.of("150/s, then 300/s from 6 s", (DoubleUnaryOperator) t -> t < 6 ? 150 : 300, ms, 16)));
    }

    @ParameterizedTest(name = "{0}, {2} ms each way")
    @MethodSource("scenarios")
    void fourHundredCallersAdaptToTheLimit(String name, DoubleUnaryOperator limit, int ms, int seconds) {
        RateLimitSimulation sim = new RateLimitSimulation(limit, seconds, seconds - 6).oneWay(Duration.ofMillis(ms));
        RateLimitSimulation.Replica client = sim.replica(400);
        sim.run();
        double capacity = sim.apiCapacityMeasured();
        System.out.printf("simulated, %s, %d ms: %s; the API could admit %.0f%n", name, ms, client, capacity);
        assertThat(client.successShare()).as("calls that got their value").isGreaterThanOrEqualTo(0.99);
        assertThat(client.throttledShareMeasured()).as("429s once adapted").isLessThanOrEqualTo(0.05);
        assertThat(client.admittedMeasured / capacity).as("admitted once adapted").isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void twoReplicasOfTwoHundredCallersShareTheLimit() {
        double[] minimums = replicas(2, 200, 0, 12);
        // 0.459 and 0.478 since the queue grants in groups (0.398 and 0.435 before)
        assertShares(minimums, "each replica's share, every seed", 0.45, "the smaller share, on average", 0.47);
    }

    @Test
    void fourReplicasOfAHundredCallersShareTheLimit() {
        double[] minimums = replicas(4, 100, 0, 12);
        // 0.115 and 0.181 since the queue grants in groups (0.138 and 0.177 before; over 40 other seeds
        // the smallest is 0.124 with groups, 0.101 without: within the seeds' spread)
        assertShares(minimums, "each replica's share, every seed", 0.11, "the smallest share, on average", 0.17);
    }

    /**
     * As S8 starts them: each replica's callers 5 ms after the previous one's, so the first takes
     * the API's whole bucket and the others' first replies are 429s. Since the queue grants in
     * groups: two 0.297 and 0.417 (0.263 and 0.356 before), four 0.086 and 0.170 (0.069 and 0.129).
     */
    @Test
    void replicasThatStartAFewMillisecondsApartShareTheLimit() {
        double[] two = replicas(2, 200, 0.005, 12);
        assertShares(two, "each of two, every seed", 0.29, "the smaller of two, on average", 0.40);
        double[] four = replicas(4, 100, 0.005, 12);
        assertShares(four, "each of four, every seed", 0.08, "the smallest of four, on average", 0.16);
    }

    @Test
    void aReplicaThatStartsFiveSecondsLaterGetsItsShare() {
        double[] minimums = replicas(2, 200, 5, 16);
        // 0.361 and 0.422 since the queue grants in groups (0.192 and 0.359 before)
        assertShares(minimums, "each replica's share, every seed", 0.35, "the smaller share, on average", 0.40);
    }

    /** Each seed's smallest share at least {@code min}, and above {@code average} over the seeds. */
    private static void assertShares(double[] minimums, String each, double min, String onAverage, double average) {
        assertThat(Arrays.stream(minimums).min().orElseThrow()).as(each).isGreaterThanOrEqualTo(min);
        assertThat(Arrays.stream(minimums).average().orElseThrow()).as(onAverage).isGreaterThan(average);
    }

    /**
     * Replicas of one client against 150/s, over the seeds; each run: at least 90% of the limit
     * admitted in all, at most 5% refused, 99% of calls served. Returns each seed's smallest share.
     */
    private static double[] replicas(int count, int callers, double apart, int seconds) {
        double[] minimums = new double[SEEDS];
        for (int seed = 1; seed <= SEEDS; seed++) {
            RateLimitSimulation sim = new RateLimitSimulation(t -> 150, seconds, seconds - 6)
                    .jitter(Duration.ofMillis(2), seed);
            RateLimitSimulation.Replica[] replicas = new RateLimitSimulation.Replica[count];
            for (int i = 0; i < count; i++) {
                replicas[i] = sim.replica(callers, i * apart, Duration.ZERO);
            }
            sim.run();
            long admitted = Arrays.stream(replicas).mapToLong(r -> r.admittedMeasured).sum();
            long requests = Arrays.stream(replicas).mapToLong(r -> r.requestsMeasured).sum();
            long refused = Arrays.stream(replicas).mapToLong(r -> r.throttledMeasured).sum();
            double[] shares = Arrays.stream(replicas).mapToDouble(r -> r.admittedMeasured / (double) admitted).toArray();
            minimums[seed - 1] = Arrays.stream(shares).min().orElseThrow();
            System.out.printf(Locale.ROOT, "simulated, %d replicas of %d callers%s, seed %d: shares %s, %.1f%% of the"
                            + " limit, %.2f%% refused%n", count, callers, apart == 0 ? "" : ", " + apart + " s apart", seed,
                    Arrays.toString(Arrays.stream(shares).mapToObj(s -> String.format(Locale.ROOT, "%.3f", s)).toArray()),
                    100 * admitted / sim.apiCapacityMeasured(), 100.0 * refused / requests);
            assertThat(admitted / sim.apiCapacityMeasured()).as("admitted, seed %d", seed).isGreaterThanOrEqualTo(0.9);
            assertThat(refused / (double) requests).as("refused, seed %d", seed).isLessThanOrEqualTo(0.05);
            assertThat(replicas).allSatisfy(r -> assertThat(r.successShare()).isGreaterThanOrEqualTo(0.99));
        }
        return minimums;
    }

    @Test
    void aStray429DoesNotSlowAQuietClientsNextListing() {
        Duration with = listingAfter(true);
        Duration without = listingAfter(false);
        System.out.printf("simulated stray 429: a 100-page listing 2 s after it took %d ms, %d ms without it%n",
                with.toMillis(), without.toMillis());
        assertThat(with).isLessThanOrEqualTo(Duration.ofMillis((long) (without.toMillis() * 1.5) + 200));
    }

    /** A client sending 2 requests a second to an API without a limit, one 429 at 3 s or none; a listing at 5 s. */
    private static Duration listingAfter(boolean stray) {
        RateLimitSimulation sim = new RateLimitSimulation(t -> 0, 8, 0);
        if (stray) {
            sim.strayRefusalAt(3);
        }
        RateLimitSimulation.Sequence listing = sim.replica(1, 0, Duration.ofMillis(500)).sequence(5, 100);
        sim.run();
        return listing.duration();
    }

    @Test
    void aQuietClientThatKeepsMeeting429sIsPaced() {
        // the API admits 10 per second from 3 s; the quiet client's listing at 5 s wants 100 pages
        RateLimitSimulation sim = new RateLimitSimulation(t -> t < 3 ? 0 : 10, 30, 5);
        RateLimitSimulation.Replica client = sim.replica(1, 0, Duration.ofMillis(500));
        RateLimitSimulation.Sequence listing = client.sequence(5, 100);
        sim.run();
        System.out.printf("simulated quiet client meeting a limit of 10/s: the listing took %d ms; %s%n",
                listing.duration().toMillis(), client);
        assertThat(listing.duration()).as("as fast as the limit allows, no faster").isGreaterThan(Duration.ofSeconds(9));
        assertThat(client.throttledShareMeasured()).as("429s, paced").isLessThanOrEqualTo(0.05);
        assertThat(client.successShare()).isEqualTo(1.0);
    }

    /**
     * The refusal storm: four replicas of 100 callers, each caller calling again at once (1 ms
     * later) after the limiter refuses it, against a limit that collapses to 2/s for 10 s and comes
     * back to 150/s. Cut to what the collapse admits, a replica would refuse its waiting callers at
     * once for the rate alone, and they would spin; with the rate's floor (what drains the queue
     * within the maximum wait) a caller waits instead, and the replicas get the limit back.
     */
    @Test
    void aLimitThatCollapsesThenComesBackCausesNoRefusalStorm() {
        RateLimitSimulation sim = new RateLimitSimulation(t -> t >= 3 && t < 13 ? 2 : 150, 30, 24);
        List<RateLimitSimulation.Replica> replicas = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replicas.add(sim.replica(100));
        }
        sim.run();
        long calls = replicas.stream().mapToLong(r -> r.calls).sum();
        long refused = replicas.stream().mapToLong(r -> r.refusedByLimiter).sum();
        double admitted = replicas.stream().mapToLong(r -> r.admittedMeasured).sum() / sim.measuredSeconds();
        System.out.printf("simulated, a limit of 150/s collapsing to 2/s for 10 s, four replicas: %d calls, %d refused"
                + " by the limiters, %.1f admitted/s in the last 6 s%n", calls, refused, admitted);
        assertThat(refused).as("callers refused by the limiters").isLessThan(1_000);
        assertThat(admitted).as("admitted once the limit is back").isGreaterThan(0.8 * 150);
    }
}
