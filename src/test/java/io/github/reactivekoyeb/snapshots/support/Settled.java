package io.github.reactivekoyeb.snapshots.support;

import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * A count that has stopped moving: how tests read a server's request count once the requests a
 * client wrote before a cancel or a stall have all arrived (a request written just before may
 * reach the server a little after). A short real wait on the test thread, never on a Reactor thread.
 */
public final class Settled {

    private Settled() {
    }

    /**
     * The count once it has not changed for {@code quiet}, checked every 20 ms; its last value after
     * {@code atMost} if it never settles (the assertion that follows then says what it saw).
     */
    public static int count(IntSupplier count, Duration quiet, Duration atMost) {
        long step = 20;
        long quietSteps = Math.max(1, quiet.toMillis() / step);
        long deadline = System.nanoTime() + atMost.toNanos();
        int last = count.getAsInt();
        for (long still = 0; still < quietSteps && System.nanoTime() < deadline; ) {
            sleep(step);
            int now = count.getAsInt();
            still = now == last ? still + 1 : 0;
            last = now;
        }
        return last;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
