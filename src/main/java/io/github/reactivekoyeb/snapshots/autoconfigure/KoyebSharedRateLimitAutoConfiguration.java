package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.RateLimitSettings;
import io.github.reactivekoyeb.snapshots.RateLimiter;
import io.github.reactivekoyeb.snapshots.redis.RedisRateLimiter;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * {@code koyeb.snapshots.rate-limit.shared=redis}: the client's {@link RateLimiter} is a
 * {@link RedisRateLimiter} on the application's own Redis, shared by every replica that uses the
 * token. The Redis client is the application's {@code io.lettuce.core.RedisClient} bean if it has
 * one, else the one under Spring Data Redis's {@code LettuceConnectionFactory}
 * ({@code spring-boot-starter-data-redis}, standalone Redis); without either, start-up fails and
 * says so. The budget's key is a hash of the token ({@code koyeb.snapshots.token}, the
 * {@code KOYEB_API_TOKEN} variable, or the {@link KoyebConnectionDetails}' token), or
 * {@code koyeb.snapshots.rate-limit.redis.budget}, which a {@code TokenProvider} bean requires. The
 * {@code koyeb.snapshots.rate-limit.*} settings apply to the shared budget and to the local
 * fallback. With Micrometer: the gauge {@code koyeb.snapshots.rate.limit.shared} (1 while the
 * budget in Redis paces the client, 0 while it paces on its own) and the counter
 * {@code koyeb.snapshots.rate.limit.fallbacks}. An application's own {@link RateLimiter} bean
 * replaces it all.
 */
@AutoConfiguration(before = KoyebSnapshotsAutoConfiguration.class, afterName = {
    "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration", // Boot 3.5
    "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration", // Boot 4
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnProperty(prefix = KoyebSnapshotsProperties.PREFIX + ".rate-limit", name = "shared", havingValue = "redis")
@EnableConfigurationProperties(KoyebSnapshotsProperties.class)
public class KoyebSharedRateLimitAutoConfiguration {

    private static final Log log = LogFactory.getLog(KoyebSharedRateLimitAutoConfiguration.class);
    private static final String PROPERTY = KoyebSnapshotsProperties.PREFIX + ".rate-limit.shared=redis";

    /** Creates the configuration; Spring does this. */
    public KoyebSharedRateLimitAutoConfiguration() {
    }

    /** With Lettuce: the limiter. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.lettuce.core.RedisClient")
    @Conditional(KoyebSnapshotsAutoConfiguration.TokenConfigured.class)
    static class RedisConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(RateLimiter.class)
        RedisRateLimiter koyebSnapshotsSharedRateLimiter(KoyebSnapshotsProperties properties, Environment environment,
                ObjectProvider<RedisClient> redisClients, ObjectProvider<KoyebConnectionDetails> connectionDetails,
                org.springframework.beans.factory.ListableBeanFactory beans) {
            RateLimitProperties limit = properties.getRateLimit();
            RateLimitProperties.Redis redis = limit.getRedis();
            RedisClient client = redisClients.getIfUnique();
            if (client == null) {
                client = fromSpringDataRedis(beans);
            }
            RedisRateLimiter.Builder builder = RedisRateLimiter.builder(client);
            PropertiesBinding.NAMING.set("rate-limit.redis.key-prefix", "keyPrefix",
                    () -> builder.keyPrefix(redis.getKeyPrefix()));
            PropertiesBinding.NAMING.set("rate-limit.redis.command-timeout", "commandTimeout",
                    () -> builder.commandTimeout(redis.getCommandTimeout()));
            RateLimitSettings settings = PropertiesBinding.rateLimitSettings(properties, PropertiesBinding.THROWING);
            builder.settings(settings);
            String budget = redis.getBudget();
            if (budget != null && !budget.isBlank()) {
                PropertiesBinding.NAMING.set("rate-limit.redis.budget", "budget", () -> builder.budget(budget.trim()));
            } else {
                String token = token(properties, environment, connectionDetails.getIfAvailable());
                if (token == null) {
                    throw new IllegalStateException(PROPERTY + " with a TokenProvider bean needs "
                            + KoyebSnapshotsProperties.PREFIX + ".rate-limit.redis.budget: the budget's name (the token"
                            + " is fetched at run time, so its hash cannot name it)");
                }
                builder.token(token);
            }
            RedisRateLimiter limiter = builder.build();
            log.info("Koyeb rate limit shared through Redis, key " + limiter.key());
            return limiter;
        }

        private static @Nullable String token(KoyebSnapshotsProperties properties, Environment environment,
                @Nullable KoyebConnectionDetails details) {
            if (details != null) {
                return details.getToken();
            }
            String token = properties.getToken();
            return token != null && !token.isBlank() ? token.trim() : KoyebSnapshotsAutoConfiguration.environmentToken(environment);
        }

        private static RedisClient fromSpringDataRedis(org.springframework.beans.factory.ListableBeanFactory beans) {
            String why = PROPERTY + " needs the application's Redis: spring-boot-starter-data-redis (Lettuce, a"
                    + " standalone Redis) or an io.lettuce.core.RedisClient bean";
            if (!ClassUtils.isPresent("org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory",
                    KoyebSharedRateLimitAutoConfiguration.class.getClassLoader())) {
                throw new IllegalStateException(why);
            }
            AbstractRedisClient client = SpringDataRedis.nativeClient(beans);
            if (client instanceof RedisClient standalone) {
                return standalone;
            }
            throw new IllegalStateException(client == null ? why
                    : why + "; the application's LettuceConnectionFactory is on " + client.getClass().getSimpleName()
                            + " (Redis Cluster is not supported: define a RedisClient bean for one node)");
        }
    }

    /** Spring Data Redis, loaded only when it is on the class path. */
    static final class SpringDataRedis {

        private SpringDataRedis() {
        }

        static @Nullable AbstractRedisClient nativeClient(org.springframework.beans.factory.ListableBeanFactory beans) {
            LettuceConnectionFactory factory = beans.getBeanProvider(LettuceConnectionFactory.class).getIfUnique();
            if (factory == null) {
                return null;
            }
            if (factory.getNativeClient() == null) {
                factory.start(); // a factory that starts late (earlyStartup=false): its client now
            }
            return factory.getNativeClient();
        }
    }

    /** Without Lettuce: start-up fails and says what to add. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("io.lettuce.core.RedisClient")
    static class NoLettuceConfiguration {

        @Bean
        Object koyebSnapshotsSharedRateLimiterMissingLettuce() {
            throw new IllegalStateException(PROPERTY + " needs Lettuce (io.lettuce:lettuce-core, which"
                    + " spring-boot-starter-data-redis brings) on the class path");
        }
    }

    /** Marks the shared limiter's meters as registered; holds nothing. */
    static final class SharedRateLimitMeters {
    }

    /** The mode gauge and the fallback counter. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry", "io.lettuce.core.RedisClient"})
    static class MetricsConfiguration {

        @Bean
        SharedRateLimitMeters koyebSnapshotsSharedRateLimitMeters(ObjectProvider<MeterRegistry> registry,
                ObjectProvider<RateLimiter> limiter) {
            MeterRegistry meters = registry.getIfUnique();
            if (meters != null && limiter.getIfUnique() instanceof RedisRateLimiter shared) {
                bind(meters, shared);
            }
            return new SharedRateLimitMeters();
        }

        static void bind(MeterRegistry registry, RedisRateLimiter limiter) {
            Gauge.builder("koyeb.snapshots.rate.limit.shared", limiter,
                            l -> l.mode() == RedisRateLimiter.Mode.SHARED ? 1 : 0)
                    .description("1 while the rate limit shared in Redis paces the client, 0 while it paces on its own")
                    .register(registry);
            FunctionCounter.builder("koyeb.snapshots.rate.limit.fallbacks", limiter, RedisRateLimiter::fallbacks)
                    .description("Times the client fell back to its own rate limiter: Redis failed or was slow")
                    .register(registry);
        }
    }
}
