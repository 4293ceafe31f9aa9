package io.github.reactivekoyeb.snapshots.support;

import java.util.function.Consumer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * What differs between Spring Boot lines, for the tests. This is Boot 4.x's (src/test-boot4):
 * WebClient, Micrometer and Jackson in modules of their own, Jackson 3's {@code JsonMapper}.
 */
public final class BootLine {

    /** The line, as the README's compatibility table names it. */
    public static final String NAME = "Spring Boot 4";

    /** The packages of the module an application lacks without {@code spring-boot-starter-webclient}. */
    public static final String[] WEB_CLIENT_MODULE_PACKAGES = {"org.springframework.boot.webclient"};

    /** The packages of Boot's Micrometer support (an application without Actuator lacks them). */
    public static final String[] METRICS_MODULE_PACKAGES = {"org.springframework.boot.micrometer"};

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

    /** The application's mapper, as {@link #jackson()} configured it: a Jackson 3 {@code JsonMapper}. */
    public static AppJson appJson(ApplicationContext context) {
        return new Jackson3Json(context.getBean(JsonMapper.class));
    }

    /** Adds a {@code WebClientCustomizer} bean of this line's type. */
    public static ApplicationContextRunner withWebClientCustomizer(ApplicationContextRunner runner,
            Consumer<WebClient.Builder> customizer) {
        return runner.withBean(WebClientCustomizer.class, () -> customizer::accept);
    }

    /** A health indicator bean's report now: its status code and details. */
    public static HealthView health(ApplicationContext context, String beanName) {
        org.springframework.boot.health.contributor.Health health = context.getBean(beanName, org.springframework.boot.health.contributor.HealthIndicator.class).health();
        return new HealthView(health.getStatus().getCode(), health.getDetails());
    }

    /** Whether a health group of the application's health endpoint includes a contributor. */
    public static boolean inHealthGroup(ApplicationContext context, String group, String contributor) {
        org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups groups = context.getBean(org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups.class);
        org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup found = groups.get(group);
        return found != null && found.isMember(contributor);
    }
}
