package io.github.reactivekoyeb.snapshots.testing;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ClassUtils;

/**
 * What the test support is loaded by name through, for a native image of an application's tests
 * (Spring AOT's test processing): the reset listener that {@code META-INF/spring.factories} names,
 * and the JUnit extension that {@code @ExtendWith} names. Registered in
 * {@code META-INF/spring/aot.factories}. The types are named, not loaded: an application's own
 * AOT processing runs without spring-test and JUnit, and then registers nothing.
 */
final class FakeKoyebServerRuntimeHints implements RuntimeHintsRegistrar {

    static final String LISTENER = "io.github.reactivekoyeb.snapshots.testing.FakeKoyebServerTestExecutionListener";
    static final String EXTENSION = "io.github.reactivekoyeb.snapshots.testing.FakeKoyebServerExtension";

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        if (ClassUtils.isPresent("org.springframework.test.context.TestExecutionListener", classLoader)) {
            hints.reflection().registerType(TypeReference.of(LISTENER), MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
        }
        if (ClassUtils.isPresent("org.junit.jupiter.api.extension.Extension", classLoader)) {
            hints.reflection().registerType(TypeReference.of(EXTENSION), MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
        }
    }
}
