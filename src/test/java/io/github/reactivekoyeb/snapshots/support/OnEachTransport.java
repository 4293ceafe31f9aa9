package io.github.reactivekoyeb.snapshots.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestTemplate;
import io.github.reactivekoyeb.snapshots.internal.ApplicationConnector;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * Runs the test once on each {@link ClientTransport}, the transport in the test's name
 * ({@code [reactor-netty]}, {@code [webclient]}). The test class learns it through
 * {@link ClientTransport.Aware} before its {@code @BeforeEach} methods, and a test method may
 * take it as a parameter. Surefire's reports name a template's invocations by index, in the order
 * of {@link ClientTransport#values()}: {@code [1]} is reactor-netty, {@code [2]} webclient.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(OnEachTransport.Provider.class)
public @interface OnEachTransport {

    /** One invocation per transport. */
    final class Provider implements TestTemplateInvocationContextProvider {

        @Override
        public boolean supportsTestTemplate(ExtensionContext context) {
            return context.getTestMethod().map(m -> m.isAnnotationPresent(OnEachTransport.class)).orElse(false);
        }

        @Override
        public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
            return Arrays.stream(ClientTransport.values()).map(Provider::invocation);
        }

        private static TestTemplateInvocationContext invocation(ClientTransport transport) {
            return new TestTemplateInvocationContext() {
                @Override
                public String getDisplayName(int invocationIndex) {
                    return "[" + transport.label() + "]";
                }

                @Override
                public List<Extension> getAdditionalExtensions() {
                    return List.of(new Binding(transport));
                }
            };
        }
    }

    /** Hands one invocation's transport to the test instance and to parameters of its type. */
    final class Binding implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
        private final ClientTransport transport;

        Binding(ClientTransport transport) {
            this.transport = transport;
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            if (context.getRequiredTestInstance() instanceof ClientTransport.Aware aware) {
                aware.useTransport(transport);
            }
        }

        @Override
        public void afterEach(ExtensionContext context) {
            ApplicationConnector.disposeAll();
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == ClientTransport.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return transport;
        }
    }
}
