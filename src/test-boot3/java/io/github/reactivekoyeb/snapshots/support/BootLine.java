package io.github.reactivekoyeb.snapshots.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.function.Consumer;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.function.client.WebClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.reactive.function.client.WebClientCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * What differs between Spring Boot lines, for the tests. This is Boot 3.5's (src/test-boot3):
 * WebClient and Jackson auto-configured by spring-boot-autoconfigure, Micrometer by the
 * Actuator's, Jackson 2's {@code ObjectMapper}.
 */
public final class BootLine {

    /** The line, as the README's compatibility table names it. */
    public static final String NAME = "Spring Boot 3.5";

    /** The packages of WebClient's auto-configuration (in spring-boot-autoconfigure on this line). */
    public static final String[] WEB_CLIENT_MODULE_PACKAGES = {
        "org.springframework.boot.autoconfigure.web.reactive.function.client"};

    /** The packages of the Actuator, which an application without it lacks. */
    public static final String[] METRICS_MODULE_PACKAGES = {"org.springframework.boot.actuate"};

    private BootLine() {
    }

    /** Boot's WebClient auto-configuration: the {@code WebClient.Builder} bean and its customizers. */
    public static AutoConfigurations webClient() {
        return AutoConfigurations.of(WebClientAutoConfiguration.class);
    }

    /** The auto-configurations that give an application its {@code MeterRegistry}. */
    public static AutoConfigurations metrics() {
        return AutoConfigurations.of(MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class);
    }

    /** Boot's Jackson auto-configuration. */
    public static AutoConfigurations jackson() {
        return AutoConfigurations.of(JacksonAutoConfiguration.class);
    }

    /** The application's mapper, as {@link #jackson()} configured it: a Jackson 2 {@code ObjectMapper}. */
    public static AppJson appJson(ApplicationContext context) {
        return new Jackson2Json(context.getBean(ObjectMapper.class));
    }

    /** Adds a {@code WebClientCustomizer} bean of this line's type. */
    public static ApplicationContextRunner withWebClientCustomizer(ApplicationContextRunner runner,
            Consumer<WebClient.Builder> customizer) {
        return runner.withBean(WebClientCustomizer.class, () -> customizer::accept);
    }

    /** A health indicator bean's report now: its status code and details. */
    public static HealthView health(ApplicationContext context, String beanName) {
        org.springframework.boot.actuate.health.Health health = context.getBean(beanName, org.springframework.boot.actuate.health.HealthIndicator.class).health();
        return new HealthView(health.getStatus().getCode(), health.getDetails());
    }

    /** Whether a health group of the application's health endpoint includes a contributor. */
    public static boolean inHealthGroup(ApplicationContext context, String group, String contributor) {
        org.springframework.boot.actuate.health.HealthEndpointGroups groups = context.getBean(org.springframework.boot.actuate.health.HealthEndpointGroups.class);
        org.springframework.boot.actuate.health.HealthEndpointGroup found = groups.get(group);
        return found != null && found.isMember(contributor);
    }
}
