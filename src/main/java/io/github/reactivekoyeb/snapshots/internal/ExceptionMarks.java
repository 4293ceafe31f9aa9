package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.KoyebException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Lets the client's internals set what a {@link KoyebException} says about the retry budget
 * before the exception is emitted, without a public setter: {@code KoyebException} hands its
 * private marker over when it is initialized (the "shared secrets" pattern of the JDK).
 */
public final class ExceptionMarks {

    private static volatile @Nullable Consumer<KoyebException> retryBudgetExhausted;

    private ExceptionMarks() {
    }

    /**
     * Called once, by {@code KoyebException}'s static initializer; later calls are ignored.
     *
     * @param marker sets the exception's retry-budget flag
     */
    public static synchronized void register(Consumer<KoyebException> marker) {
        if (retryBudgetExhausted == null) {
            retryBudgetExhausted = marker;
        }
    }

    /** Marks a failure that the policy would have retried but the budget did not allow. */
    static void markRetryBudgetExhausted(Throwable failure) {
        Consumer<KoyebException> marker = retryBudgetExhausted;
        // the failure is a KoyebException instance, so its class, and the registration, are initialized
        if (failure instanceof KoyebException e && marker != null) {
            marker.accept(e);
        }
    }
}
