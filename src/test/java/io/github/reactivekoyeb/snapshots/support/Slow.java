package io.github.reactivekoyeb.snapshots.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A long run: the soak, the long property runs, the browser test, the real-time rate-limit
 * scenarios, the Reactive Streams TCK's long specs. Each checks again, longer or at a larger
 * scale, a behaviour that a test of the everyday suite already covers.
 *
 * <p>{@code mvn verify} skips the {@value #TAG} group; {@code mvn verify -Pslow} runs it with
 * everything else, and {@code .ci/run} runs it once, on the default line (see
 * {@code docs/build-and-release.md}). TestNG classes (the TCK) join the group with
 * {@code @Test(groups = Slow.TAG)}, which the JUnit Platform's TestNG engine reports as this tag.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(Slow.TAG)
public @interface Slow {

    /** The tag: {@value}. */
    String TAG = "slow";
}
