package io.github.reactivekoyeb.snapshots.autoconfigure;

import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;

/**
 * Customizes the builder of the auto-configured {@link ReactiveSnapshotsClient}, as Spring Boot's
 * {@code WebClientCustomizer} does for its own clients: every bean of this type is applied, in
 * their {@code @Order}, after the {@code koyeb.snapshots.*} properties and before the client is
 * built. Options that have no property (a connection pool, a clock of the waits, ...) are set
 * here.
 *
 * <pre>{@code
 * @Bean
 * ReactiveSnapshotsClientBuilderCustomizer biggerPool() {
 *     return builder -> builder.connectionPool(ConnectionPoolSettings.builder().maxConnections(128).build());
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ReactiveSnapshotsClientBuilderCustomizer {

    /**
     * Customizes the builder; called once per client bean, on the thread that creates it.
     *
     * @param builder the builder, with the properties applied
     */
    void customize(ReactiveSnapshotsClient.Builder builder);
}
