package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.ProxySettings;
import io.github.reactivekoyeb.snapshots.RateLimitSettings;
import io.github.reactivekoyeb.snapshots.RateLimiter;
import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import io.github.reactivekoyeb.snapshots.RetryBudget;
import io.github.reactivekoyeb.snapshots.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.validation.Errors;

/**
 * The one mapping of {@link KoyebSnapshotsProperties} onto the client's builder and domain types,
 * used twice: at bind time to validate (each value goes through the setter that takes it, and
 * the setter's own message is reported against the full property name), and when the client bean
 * is built.
 */
final class PropertiesBinding {

    /** Sets one value: {@code property} its name under the prefix, {@code setting} the domain's name for it. */
    @FunctionalInterface
    interface Binding {
        void set(String property, String setting, Runnable set);
    }

    /** Sets every value; the first invalid one throws. */
    static final Binding THROWING = (property, setting, set) -> set.run();

    /** Sets every value; the first invalid one throws, its message naming the full property. */
    static final Binding NAMING = (property, setting, set) -> {
        try {
            set.run();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            // a message of its own, without the setting's exception as its cause: what start-up reports
            throw new IllegalArgumentException(KoyebSnapshotsProperties.PREFIX + '.' + property + ": " + message);
        }
    };

    /** Properties whose values are secrets: reported without the value. */
    private static final Set<String> SECRETS = Set.of("token", "proxy.username", "proxy.password");

    private static final String PREFIX = KoyebSnapshotsProperties.PREFIX;

    private PropertiesBinding() {
    }

    /** Reports every invalid value, each in its setter's words, named by its full property. */
    static void validate(KoyebSnapshotsProperties properties, Errors errors) {
        apply(properties, ReactiveSnapshotsClient.builder(), (property, setting, set) -> {
            try {
                set.run();
            } catch (IllegalArgumentException | NullPointerException e) {
                String message = String.valueOf(e.getMessage());
                if (!message.startsWith(PREFIX)) {
                    String full = PREFIX + '.' + property;
                    message = message.startsWith(setting + ' ') ? full + message.substring(setting.length())
                            : full + ": " + message;
                }
                if (SECRETS.contains(property)) {
                    // an object error: Spring and Boot would quote a field's rejected value, here a secret
                    errors.reject("invalid", message);
                } else {
                    errors.rejectValue(beanPath(property), "invalid", message);
                }
            }
        });
    }

    static void apply(KoyebSnapshotsProperties p, ReactiveSnapshotsClient.Builder builder, Binding bind) {
        bind.set("base-url", "baseUrl", () -> builder.baseUrl(p.getBaseUrl()));
        String token = p.getToken();
        if (token != null && !token.isBlank()) {
            bind.set("token", "token", () -> builder.token(token.trim()));
        }
        bind.set("response-timeout", "responseTimeout", () -> builder.responseTimeout(p.getResponseTimeout()));
        bind.set("page-size", "pageSize", () -> builder.defaultPageSize(p.getPageSize()));
        bind.set("read-ahead", "readAhead", () -> builder.defaultReadAhead(p.getReadAhead()));
        builder.compression(p.isCompression());
        builder.retryPolicy(retryPolicy(p, bind));
        builder.rateLimiter(rateLimiter(p, bind));
        ProxySettings proxy = proxySettings(p.getProxy(), bind);
        if (proxy != null) {
            builder.proxy(proxy);
        }
    }

    static RetryPolicy retryPolicy(KoyebSnapshotsProperties p, Binding bind) {
        KoyebSnapshotsProperties.Retry retry = p.getRetry();
        KoyebSnapshotsProperties.Retry.Budget b = retry.getBudget();
        RetryBudget.Builder budget = RetryBudget.builder();
        bind.set("retry.budget.max-tokens", "maxTokens", () -> budget.maxTokens(b.getMaxTokens()));
        bind.set("retry.budget.retry-cost", "retryCost", () -> budget.retryCost(b.getRetryCost()));
        bind.set("retry.budget.timeout-cost", "timeoutCost", () -> budget.timeoutCost(b.getTimeoutCost()));
        bind.set("retry.budget.success-refill", "successRefill", () -> budget.successRefill(b.getSuccessRefill()));
        RetryPolicy.Builder policy = RetryPolicy.builder().budget(b.isEnabled() ? budget.build() : RetryBudget.unlimited());
        bind.set("retry.max-retries", "maxRetries", () -> policy.maxRetries(retry.getMaxRetries()));
        bind.set("retry.initial-backoff", "initialBackoff", () -> policy.initialBackoff(retry.getInitialBackoff()));
        bind.set("retry.max-backoff", "maxBackoff", () -> policy.maxBackoff(retry.getMaxBackoff()));
        return policy.build();
    }

    static RateLimiter rateLimiter(KoyebSnapshotsProperties p, Binding bind) {
        return p.getRateLimit().isEnabled() ? RateLimiter.adaptive(rateLimitSettings(p, bind)) : RateLimiter.NONE;
    }

    static RateLimitSettings rateLimitSettings(KoyebSnapshotsProperties p, Binding bind) {
        RateLimitProperties limit = p.getRateLimit();
        RateLimitSettings.Builder settings = RateLimitSettings.builder();
        bind.set("rate-limit.max-wait", "maxWait", () -> settings.maxWait(limit.getMaxWait()));
        bind.set("rate-limit.min-rate", "minRate", () -> settings.minRate(limit.getMinRate()));
        bind.set("rate-limit.decrease", "decrease", () -> settings.decrease(limit.getDecrease()));
        return settings.build();
    }

    private static @Nullable ProxySettings proxySettings(KoyebSnapshotsProperties.Proxy proxy, Binding bind) {
        if (proxy.isUseSystemProperties()) {
            return ProxySettings.fromSystemProperties();
        }
        String host = proxy.getHost();
        if (host == null || host.isBlank()) {
            return null;
        }
        List<ProxySettings.Builder> built = new ArrayList<>(1);
        bind.set("proxy.port", "proxy port", () -> built.add(ProxySettings.http(host, proxy.getPort())));
        if (built.isEmpty()) {
            return null;
        }
        ProxySettings.Builder settings = built.get(0);
        String user = proxy.getUsername();
        String password = proxy.getPassword();
        if (user != null || password != null) {
            bind.set("proxy.password", "proxy credentials", () -> {
                if (user == null || password == null) {
                    throw new IllegalArgumentException(PREFIX + ".proxy.username and " + PREFIX
                            + ".proxy.password go together");
                }
                settings.credentials(user, password);
            });
        }
        String nonProxyHosts = proxy.getNonProxyHosts();
        if (nonProxyHosts != null && !nonProxyHosts.isBlank()) {
            settings.nonProxyHosts(nonProxyHosts);
        }
        return settings.build();
    }

    /** {@code retry.budget.max-tokens} as the bean path {@code retry.budget.maxTokens}. */
    private static String beanPath(String property) {
        StringBuilder path = new StringBuilder(property.length());
        for (int i = 0; i < property.length(); i++) {
            char c = property.charAt(i);
            if (c == '-' && i + 1 < property.length()) {
                path.append(Character.toUpperCase(property.charAt(++i)));
            } else {
                path.append(c);
            }
        }
        return path.toString();
    }
}
