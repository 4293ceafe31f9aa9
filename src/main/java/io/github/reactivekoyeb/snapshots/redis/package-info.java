/**
 * A rate limit shared by the replicas of a service that use one API token, kept in Redis:
 * {@link io.github.reactivekoyeb.snapshots.redis.RedisRateLimiter}. Needs Lettuce
 * ({@code io.lettuce:lettuce-core}) on the class path; nothing else in the library does.
 */
@NullMarked
package io.github.reactivekoyeb.snapshots.redis;

import org.jspecify.annotations.NullMarked;
