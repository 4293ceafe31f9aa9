package io.github.reactivekoyeb.snapshots.support;

import java.util.SplittableRandom;

/**
 * Property tests on seeded random cases: {@code count} cases, each drawn from a generator seeded
 * by a seed of its own, the case seeds drawn from one run seed.
 *
 * <p>The run seed is random unless {@code -Dkoyeb.seed=N} fixes it, and is printed with the
 * result. A failing case fails the test with its case seed, and
 * {@code -Dkoyeb.case.seed=N} then runs that one case again, alone, exactly as it failed.
 */
public final class SeededCases {

    /** One case: draws its inputs from {@code random}, then checks the property. */
    @FunctionalInterface
    public interface Case {
        void run(SplittableRandom random) throws Exception;
    }

    private SeededCases() {
    }

    /**
     * Runs the cases, or the one case {@code -Dkoyeb.case.seed} names.
     *
     * @param name the property, for the messages
     * @param count how many cases
     * @param body the case
     */
    public static void run(String name, int count, Case body) {
        String only = System.getProperty("koyeb.case.seed");
        if (only != null) {
            long seed = Long.parseLong(only);
            System.out.printf("%s: the one case of seed %d%n", name, seed);
            runCase(name, "the case", seed, body);
            return;
        }
        Long fixed = Long.getLong("koyeb.seed");
        long runSeed = fixed != null ? fixed : new SplittableRandom().nextLong();
        SplittableRandom seeds = new SplittableRandom(runSeed);
        for (int i = 1; i <= count; i++) {
            runCase(name, "case " + i + " of " + count + " (run seed " + runSeed + ")", seeds.nextLong(), body);
        }
        System.out.printf("%s: %d cases passed, run seed %d (-Dkoyeb.seed=%d runs them again)%n", name, count, runSeed,
                runSeed);
    }

    private static void runCase(String name, String which, long seed, Case body) {
        try {
            body.run(new SplittableRandom(seed));
        } catch (Exception | AssertionError e) {
            throw new AssertionError(name + ": " + which + " failed; run it alone with -Dkoyeb.case.seed=" + seed
                    + "\n" + e, e);
        }
    }

    /** A uniform draw from {@code [min, max]}. */
    public static int between(SplittableRandom random, int min, int max) {
        return random.nextInt(min, max + 1);
    }

    /** One of the values, uniformly. */
    @SafeVarargs
    public static <T> T oneOf(SplittableRandom random, T... values) {
        return values[random.nextInt(values.length)];
    }

    /** An index drawn with the given weights. */
    public static int weighted(SplittableRandom random, int... weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int draw = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            draw -= weights[i];
            if (draw < 0) {
                return i;
            }
        }
        throw new IllegalStateException("unreachable");
    }
}
