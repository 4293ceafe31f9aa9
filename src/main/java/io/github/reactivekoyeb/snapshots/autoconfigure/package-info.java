/**
 * Spring Boot auto-configuration of a {@link io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient}
 * bean from {@code koyeb.snapshots.*} properties, built on the application's
 * {@code WebClient.Builder}, with Micrometer counters when the application has a
 * {@code MeterRegistry}. Active only in Spring Boot applications.
 */
@NullMarked
package io.github.reactivekoyeb.snapshots.autoconfigure;

import org.jspecify.annotations.NullMarked;
