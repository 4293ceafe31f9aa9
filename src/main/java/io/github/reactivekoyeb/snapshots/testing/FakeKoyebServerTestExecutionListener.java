package io.github.reactivekoyeb.snapshots.testing;

import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.TestExecutionListener;

/**
 * Resets the {@link FakeKoyebServer} beans of a test class annotated with
 * {@link AutoConfigureFakeKoyebServer} before each test method; registered in
 * {@code META-INF/spring.factories}, as Spring's own listeners are. Other test classes are left
 * alone, and their contexts are never loaded for it.
 */
final class FakeKoyebServerTestExecutionListener implements TestExecutionListener, Ordered {

    /** After dependency injection, before the {@code @BeforeEach} methods. */
    @Override
    public int getOrder() {
        return 5_000;
    }

    @Override
    public void beforeTestMethod(TestContext testContext) {
        if (TestContextAnnotationUtils.hasAnnotation(testContext.getTestClass(), AutoConfigureFakeKoyebServer.class)) {
            ApplicationContext context = testContext.getApplicationContext();
            context.getBeanProvider(FakeKoyebServer.class).orderedStream().forEach(FakeKoyebServer::reset);
        }
    }
}
