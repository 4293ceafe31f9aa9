package io.github.reactivekoyeb.snapshots.testing;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What the test support is loaded by name through, for a native image of an application's tests
 * (Spring AOT's test processing): the reset listener that {@code META-INF/spring.factories} names,
 * and the JUnit extension that {@code @ExtendWith} names. Registered in
 * {@code META-INF/spring/aot.factories}.
 */
final class FakeKoyebServerRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        hints.reflection().registerType(FakeKoyebServerTestExecutionListener.class,
                MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
        hints.reflection().registerType(FakeKoyebServerExtension.class, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
    }
}
