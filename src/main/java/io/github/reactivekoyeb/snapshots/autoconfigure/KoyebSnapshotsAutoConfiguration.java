package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.ClientEventListener;
import io.github.reactivekoyeb.snapshots.ConnectionPoolSettings;
import io.github.reactivekoyeb.snapshots.RateLimiter;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryReason;
import io.github.reactivekoyeb.snapshots.SnapshotEvent;
import io.github.reactivekoyeb.snapshots.TokenProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configures a {@link ReactiveSnapshotsClient} bean from the {@code koyeb.snapshots.*}
 * properties.
 *
 * <p>One class for every supported line: it names Boot's auto-configurations by class name (Boot
 * 3.5 keeps WebClient's in spring-boot-autoconfigure and Micrometer's in the Actuator, Boot 4 in
 * modules of their own), so it runs after those of the line the application is on and never loads
 * a class that line lacks.
 *
 * <ul>
 *   <li>The token is {@code koyeb.snapshots.token}, else the {@code KOYEB_API_TOKEN} environment
 *       variable; blank counts as none. A {@link TokenProvider} bean (tokens that rotate, from a
 *       secret store) overrides both. A {@link KoyebConnectionDetails} bean (a test's fake server)
 *       replaces the base URL and the token. With none of them, no client bean is created and one
 *       INFO line says why, rather than a client that fails on its first call. An application
 *       processed ahead of time (Spring AOT, for a native image or on the JVM) always has the client
 *       bean, since the build has no token: it reads the token when it starts, and fails to start,
 *       saying so, when there is none.</li>
 *   <li>The client is built on the application's {@code WebClient.Builder} when there is one (Spring
 *       Boot's, with its codecs, customizers and observation registry). Without one but with an
 *       {@code ObservationRegistry} bean (Boot 4 without {@code spring-boot-starter-webclient}), on
 *       a plain {@code WebClient.Builder} with that registry and the client's own connector, so that
 *       its calls are observed under the same names and URI templates. With neither, it sends
 *       straight through its own Reactor Netty client.</li>
 *   <li>With Micrometer and a {@code MeterRegistry}, the counters {@code koyeb.snapshots.retries},
 *       {@code koyeb.snapshots.retry.budget.exhausted} and {@code koyeb.snapshots.pages} are
 *       registered on it.</li>
 *   <li>The properties are applied first, then every {@link ReactiveSnapshotsClientBuilderCustomizer}
 *       bean, in order: options without a property are set there.</li>
 *   <li>Every bean backs off when the application defines its own.</li>
 * </ul>
 */
@AutoConfiguration(afterName = {
    // the SSL bundles, on every line
    "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
    // Spring Boot 4.x: WebClient and Micrometer in modules of their own
    "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration",
    "org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
    // Spring Boot 3.5: WebClient in spring-boot-autoconfigure, Micrometer in the Actuator's
    "org.springframework.boot.autoconfigure.web.reactive.function.client.WebClientAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.observation.web.client.HttpClientObservationsAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(WebClient.class)
@EnableConfigurationProperties(KoyebSnapshotsProperties.class)
public class KoyebSnapshotsAutoConfiguration {

    /** The environment variable the token falls back to: {@value}. */
    public static final String TOKEN_ENVIRONMENT_VARIABLE = "KOYEB_API_TOKEN";

    private static final Log log = LogFactory.getLog(KoyebSnapshotsAutoConfiguration.class);

    /** Creates the configuration; Spring does this. */
    public KoyebSnapshotsAutoConfiguration() {
    }

    /**
     * The token from the properties or the environment, or null when both are blank: what the
     * conditions see before the properties are bound.
     *
     * @param environment the environment
     * @return the token, or null
     */
    static @Nullable String resolveToken(Environment environment) {
        String token = environment.getProperty(KoyebSnapshotsProperties.PREFIX + ".token");
        return token == null || token.isBlank() ? environmentToken(environment) : token.trim();
    }

    /** The {@value #TOKEN_ENVIRONMENT_VARIABLE} fallback, or null when it is blank. */
    static @Nullable String environmentToken(Environment environment) {
        String token = environment.getProperty(TOKEN_ENVIRONMENT_VARIABLE);
        return token == null || token.isBlank() ? null : token.trim();
    }

    /** The client, when a token is configured. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(TokenConfigured.class)
    static class ClientConfiguration {

        /**
         * The client's rate limiter, from {@code koyeb.snapshots.rate-limit.*}; an application's own
         * bean (one shared by several clients, say) replaces it.
         */
        @Bean
        @ConditionalOnMissingBean
        RateLimiter koyebSnapshotsRateLimiter(KoyebSnapshotsProperties properties) {
            return properties.toRateLimiter();
        }

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        ReactiveSnapshotsClient reactiveSnapshotsClient(KoyebSnapshotsProperties properties, Environment environment,
                ObjectProvider<WebClient.Builder> webClientBuilder, ObjectProvider<ClientEventListener> listeners,
                ObjectProvider<TokenProvider> tokenProvider, ObjectProvider<SslBundles> sslBundles,
                ObjectProvider<ReactiveSnapshotsClientBuilderCustomizer> customizers,
                ObjectProvider<RateLimiter> rateLimiter, ObjectProvider<KoyebConnectionDetails> connectionDetails,
                ObjectProvider<ObservationRegistry> observationRegistry) {
            ReactiveSnapshotsClient.Builder builder = ReactiveSnapshotsClient.builder();
            properties.applyTo(builder);
            KoyebConnectionDetails details = connectionDetails.getIfAvailable();
            if (details != null) {
                // in place of the base URL and token properties (a test's fake server, say)
                builder.baseUrl(details.getBaseUrl()).token(details.getToken());
            } else {
                String token = properties.getToken();
                if (token == null || token.isBlank()) {
                    builder.token(environmentToken(environment));
                }
            }
            WebClient.Builder application = webClientBuilder.getIfAvailable();
            ObservationRegistry registry = observationRegistry.getIfAvailable();
            if (application != null) {
                builder.webClientBuilder(application);
            } else if (registry != null && !registry.isNoop()) {
                // no WebClient.Builder (Boot 4 without spring-boot-starter-webclient) but an
                // observation registry: observed as on Boot's builder, http.client.requests under the
                // URI template, through a WebClient on the client's own connector
                builder.webClientBuilder(WebClient.builder().observationRegistry(registry));
                builder.connectionPool(ConnectionPoolSettings.defaults());
            }
            rateLimiter.ifAvailable(builder::rateLimiter);
            // the TokenConfigured condition has seen a provider bean: one (or a @Primary one) is used,
            // and several fail start-up rather than build a client that sends no token
            TokenProvider provider = tokenProvider.getIfAvailable();
            if (provider != null) {
                builder.tokenProvider(provider);
            } else if (details == null && resolveToken(environment) == null) {
                // only in an application built ahead of time, whose conditions were decided then
                throw new IllegalStateException("No Koyeb API token: set koyeb.snapshots.token or the "
                        + TOKEN_ENVIRONMENT_VARIABLE + " environment variable, or define a TokenProvider bean (this"
                        + " application was processed ahead of time with a ReactiveSnapshotsClient bean)");
            }
            String bundle = properties.getSsl().getBundle();
            if (bundle != null && !bundle.isBlank()) {
                SslBundles bundles = sslBundles.getIfAvailable();
                if (bundles == null) {
                    throw new IllegalStateException(KoyebSnapshotsProperties.PREFIX + ".ssl.bundle is '" + bundle
                            + "' but the application has no SslBundles (Spring Boot's SSL auto-configuration)");
                }
                builder.trustManagerFactory(bundles.getBundle(bundle.trim()).getManagers().getTrustManagerFactory());
            }
            List<ClientEventListener> all = listeners.orderedStream().toList();
            if (!all.isEmpty()) {
                builder.eventListener(all.size() == 1 ? all.get(0) : new CompositeListener(all));
            }
            customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
            return builder.build();
        }
    }

    /** The INFO line when no token is configured. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(NoTokenConfigured.class)
    static class NoTokenConfiguration {

        @Bean
        NoTokenNotice koyebSnapshotsNoTokenNotice() {
            log.info("No Koyeb API token: set koyeb.snapshots.token or the " + TOKEN_ENVIRONMENT_VARIABLE
                    + " environment variable, or define a TokenProvider bean, to get a ReactiveSnapshotsClient bean");
            return new NoTokenNotice();
        }
    }

    /** The Micrometer counters, when Micrometer is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnBean(MeterRegistry.class)
        @ConditionalOnMissingBean(MicrometerClientEventListener.class)
        @Conditional(TokenConfigured.class)
        MicrometerClientEventListener koyebSnapshotsMetrics(MeterRegistry registry,
                ObjectProvider<RateLimiter> rateLimiter) {
            return new MicrometerClientEventListener(registry, rateLimiter.getIfAvailable(() -> RateLimiter.NONE));
        }
    }

    /**
     * Whether the application defines a {@link TokenProvider} or a {@link KoyebConnectionDetails}
     * bean (user configurations, and those that run before this one, are read first).
     */
    static boolean hasTokenSourceBean(ConditionContext context) {
        return context.getBeanFactory() != null
                && (context.getBeanFactory().getBeanNamesForType(TokenProvider.class, true, false).length > 0
                        || context.getBeanFactory().getBeanNamesForType(KoyebConnectionDetails.class, true, false)
                                .length > 0);
    }

    /**
     * Whether Spring's AOT processing is running ({@code spring-boot:process-aot}): the token is a
     * secret that the build does not have, so the client bean is part of an application built ahead
     * of time, and reads its token when it starts.
     */
    static boolean aotProcessing() {
        return Boolean.getBoolean("spring.aot.processing");
    }

    /** Marks the absence of a token in the context; holds nothing. */
    static final class NoTokenNotice {
    }

    /**
     * Matches when a non-blank token is configured. Evaluated when bean definitions are registered
     * (as {@code @ConditionalOnBean} is), so that beans of configurations that run earlier count.
     */
    static final class TokenConfigured extends SpringBootCondition implements ConfigurationCondition {
        @Override
        public ConfigurationPhase getConfigurationPhase() {
            return ConfigurationPhase.REGISTER_BEAN;
        }

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            if (aotProcessing()) {
                return ConditionOutcome.match("processed ahead of time: the token is read when the application starts");
            }
            if (hasTokenSourceBean(context)) {
                return ConditionOutcome.match("a TokenProvider or KoyebConnectionDetails bean is defined");
            }
            return resolveToken(context.getEnvironment()) != null
                    ? ConditionOutcome.match("a Koyeb API token is configured")
                    : ConditionOutcome.noMatch("no koyeb.snapshots.token, no " + TOKEN_ENVIRONMENT_VARIABLE
                            + ", no TokenProvider and no KoyebConnectionDetails bean");
        }
    }

    /** Matches when {@link TokenConfigured} does not: its inverse, in the same phase. */
    static final class NoTokenConfigured extends SpringBootCondition implements ConfigurationCondition {
        private final TokenConfigured tokenConfigured = new TokenConfigured();

        @Override
        public ConfigurationPhase getConfigurationPhase() {
            return tokenConfigured.getConfigurationPhase();
        }

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            // (ConditionOutcome.inverse is gone in Boot 4; the constructor is on every line)
            ConditionOutcome outcome = tokenConfigured.getMatchOutcome(context, metadata);
            return new ConditionOutcome(!outcome.isMatch(), outcome.getConditionMessage());
        }
    }

    /** Fans events out to several listeners. */
    record CompositeListener(List<ClientEventListener> listeners) implements ClientEventListener {
        @Override
        public void onRetry(String method, String uriTemplate, RetryReason reason, int retry, Duration delay) {
            for (ClientEventListener l : listeners) {
                l.onRetry(method, uriTemplate, reason, retry, delay);
            }
        }

        @Override
        public void onPage(long offset, int snapshots) {
            for (ClientEventListener l : listeners) {
                l.onPage(offset, snapshots);
            }
        }

        @Override
        public void onRetryBudgetExhausted(String method, String uriTemplate, RetryReason reason) {
            for (ClientEventListener l : listeners) {
                l.onRetryBudgetExhausted(method, uriTemplate, reason);
            }
        }

        @Override
        public void onListingRepair(long offset, int attempt) {
            for (ClientEventListener l : listeners) {
                l.onListingRepair(offset, attempt);
            }
        }

        @Override
        public void onWatchPass(boolean complete, int events) {
            for (ClientEventListener l : listeners) {
                l.onWatchPass(complete, events);
            }
        }

        @Override
        public void onWatchEvent(SnapshotEvent.Type type) {
            for (ClientEventListener l : listeners) {
                l.onWatchEvent(type);
            }
        }

        @Override
        public void onThrottled(String method, String uriTemplate, @Nullable Duration retryAfter, double rate) {
            for (ClientEventListener l : listeners) {
                l.onThrottled(method, uriTemplate, retryAfter, rate);
            }
        }

        @Override
        public void onRateLimitWait(String method, String uriTemplate, Duration wait) {
            for (ClientEventListener l : listeners) {
                l.onRateLimitWait(method, uriTemplate, wait);
            }
        }
    }
}
